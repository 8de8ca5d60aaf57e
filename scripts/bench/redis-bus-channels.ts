/**
 * ADR 0008's measurement: one Redis channel filtered by each instance vs a channel per
 * application. Three buses in this process on a redis-server of its own (free port, no
 * persistence); instance 0 publishes N messages of 300 bytes over 100 applications, instances 1
 * and 2 listen to every application or to one. Prints wall time and this process's CPU time.
 * Run: `npx tsx scripts/bench/redis-bus-channels.ts` (needs /usr/bin/redis-server).
 */
import type { BusMessage } from '../../server/bus/bus';
import { decodeBusMessage, encodeBusMessage, sentBy } from '../../server/bus/codec';
import { createRedisBus } from '../../server/bus/redisBus';
import { connectRedis, type RedisLink } from '../../server/cluster/redis';
import { silentLogger } from '../../server/log';
import { startRedis } from '../../test/helpers/redis';

const N = Number(process.env.N ?? 60_000);
const APPS = 100;

const message = (i: number): BusMessage => ({
  applicationId: `app-${i % APPS}`,
  deviceId: `dev-${i % 1000}`,
  event: 'up',
  topic: `v3/app-${i % APPS}/devices/dev-${i % 1000}/up`,
  payload: Buffer.alloc(300, 97),
  type: 'uplink_message',
  receivedAt: new Date().toISOString(),
  correlationIds: ['as:up:01JXXXXXXXXXXXXXXXXXXXXXXX'],
});

const yieldNow = () => new Promise((r) => setImmediate(r));
const until = async (check: () => boolean) => {
  while (!check()) await new Promise((r) => setTimeout(r, 5));
};

async function measure(links: RedisLink[], publish: (i: number) => void, done: () => boolean) {
  const started = Date.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < N; i++) {
    publish(i);
    if (i % 1000 === 0) await yieldNow();
  }
  await until(done);
  const used = process.cpuUsage(cpu);
  for (const link of links) await link.close();
  return { wallMs: Date.now() - started, cpuMs: Math.round((used.user + used.system) / 1000) };
}

async function perApplication(url: string, apps: number) {
  const links = await Promise.all([0, 1, 2].map(() => connectRedis(url, silentLogger, 'per-app:')));
  const buses = links.map((l) => createRedisBus(l, silentLogger));
  let got = 0;
  for (const bus of buses.slice(1)) for (let a = 0; a < apps; a++) bus.subscribe(`app-${a}`, () => got++);
  await Promise.all(buses.map((b) => b.settled()));
  const want = (2 * N * apps) / APPS;
  return measure(
    links,
    (i) => buses[0]?.publish(message(i)),
    () => got >= want,
  );
}

async function oneChannel(url: string, apps: number) {
  const links = await Promise.all([0, 1, 2].map(() => connectRedis(url, silentLogger, 'one:')));
  let got = 0;
  for (const link of links.slice(1)) {
    const wanted = new Set(Array.from({ length: apps }, (_, a) => `app-${a}`));
    link.sub.on('messageBuffer', (_channel: Buffer, frame: Buffer) => {
      if (sentBy(frame, link.origin)) return;
      const m = decodeBusMessage(frame);
      if (m && wanted.has(m.applicationId)) got++;
    });
    await link.sub.subscribe('one:up');
  }
  const sender = links[0] as RedisLink;
  const want = (2 * N * apps) / APPS;
  return measure(
    links,
    (i) => void sender.cmd.publish('one:up', encodeBusMessage(sender.origin, message(i))).catch(() => {}),
    () => got >= want,
  );
}

// The test harness's redis-server: free port, temporary dir, ready once it answers PING.
const redis = await startRedis();
try {
  for (const apps of [APPS, 1]) {
    console.log(`${N} messages, listeners for ${apps} of ${APPS} applications on 2 instances`);
    console.log('  one channel, filtered locally:', await oneChannel(redis.url, apps));
    console.log('  a channel per application:    ', await perApplication(redis.url, apps));
  }
} finally {
  await redis.stop();
}
