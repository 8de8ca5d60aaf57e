/**
 * `npm run bench -- --cluster` (issue 14): the fan-out and downlink paths on one Mote and on three
 * on the same machine, each on PostgreSQL and Redis started as the tests start them, each Mote
 * started as the product runs (product.ts). Uplinks go in through the simulate-uplink API, spread
 * over the instances; subscribers spread over them too. Downlinks are pushed over MQTT QoS 1 on
 * every instance and timed to their `down/queued` on the first. Prints delivered and lost (three
 * instances must lose nothing), p50/p99, and CPU per message of each Mote, PostgreSQL and Redis.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import mqtt, { type MqttClient } from 'mqtt';
import { adminSession, call } from '../../test/helpers/api';
import { createDatabase, initPgTemplate, startPgCluster } from '../../test/helpers/postgres';
import { startRedis } from '../../test/helpers/redis';
import { cpuSeconds, postmasterPid, redisPid } from './clusterCpu';
import { Histogram } from './hist';
import { type Product, startProduct } from './product';
import { sleep } from './rpc';
import { type Cell, table } from './table';

export interface ClusterOptions {
  /** Uplinks per second into the whole cluster, and downlink pushes per second. */
  uplinkRate: number;
  downlinkRate: number;
  seconds: number;
  subscribers: number;
  devices: number;
}

const ADMIN_PASSWORD = 'bench-cluster-admin';

interface Phase {
  sent: number;
  delivered: number;
  expected: number;
  p50_ms: number | null;
  p99_ms: number | null;
  /** CPU milliseconds per message: each Mote, then PostgreSQL and Redis. */
  cpu_ms_per_msg: { motes: number[]; postgres: number; redis: number };
}

type Usage = { motes: number[]; postgres: number; redis: number };

function meter(motes: Product[], pgPid: number, rdPid: number): (messages: number) => Usage {
  const read = () => ({
    motes: motes.map((m) => cpuSeconds(m.pid)),
    postgres: cpuSeconds(pgPid, true),
    redis: cpuSeconds(rdPid),
  });
  const start = read();
  return (messages) => {
    const end = read();
    const per = (a: number, b: number) => ((b - a) * 1000) / Math.max(1, messages);
    return {
      motes: end.motes.map((e, i) => per(start.motes[i] ?? 0, e)),
      postgres: per(start.postgres, end.postgres),
      redis: per(start.redis, end.redis),
    };
  };
}

const connect = (m: Product, key: string): Promise<MqttClient> =>
  mqtt.connectAsync(`mqtt://127.0.0.1:${m.mote.mqttPort}`, {
    username: m.applicationId,
    password: key,
    reconnectPeriod: 0,
  });

/** Waits until `done()` or until nothing new arrived for `quietMs`. */
async function drain(count: () => number, done: () => boolean, quietMs = 3000): Promise<void> {
  let last = count();
  let since = performance.now();
  while (!done() && performance.now() - since < quietMs) {
    await sleep(100);
    if (count() !== last) {
      last = count();
      since = performance.now();
    }
  }
}

async function fanout(motes: Product[], key: string, devices: string[], o: ClusterOptions) {
  const app = motes[0]?.applicationId ?? '';
  const subs = await Promise.all(
    Array.from({ length: o.subscribers }, (_, i) => connect(motes[i % motes.length] as Product, key)),
  );
  const sentAt = new Map<number, number>();
  const hist = new Histogram();
  let delivered = 0;
  for (const s of subs) {
    s.on('message', (_topic, payload) => {
      const f = (JSON.parse(payload.toString()) as { uplink_message?: { f_cnt?: number } }).uplink_message
        ?.f_cnt;
      const at = f === undefined ? undefined : sentAt.get(f);
      if (at === undefined) return;
      delivered++;
      hist.record((performance.now() - at) * 1000);
    });
    await s.subscribeAsync(`v3/${app}/devices/+/up`);
  }
  let sent = 0;
  let inFlight = 0;
  const t0 = performance.now();
  const total = Math.round(o.uplinkRate * o.seconds);
  for (let i = 1; i <= total; i++) {
    // Paced by schedule; a request in flight beyond 64 waits (the machine is the limit then).
    const due = t0 + (i * 1000) / o.uplinkRate;
    while (performance.now() < due || inFlight >= 64) await sleep(Math.max(1, due - performance.now()));
    const on = motes[i % motes.length] as Product;
    const device = devices[i % devices.length];
    inFlight++;
    sentAt.set(i, performance.now());
    void fetch(`${on.mote.url}/api/v3/as/applications/${app}/devices/${device}/up/simulate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ uplink_message: { f_port: 1, f_cnt: i, frm_payload: 'AQID' } }),
    })
      .then(async (r) => {
        await r.arrayBuffer();
        if (r.status === 200) sent++;
        else sentAt.delete(i);
      })
      .catch(() => sentAt.delete(i))
      .finally(() => inFlight--);
  }
  while (inFlight > 0) await sleep(20);
  return { subs, sentAt, hist, delivered: () => delivered, sent: () => sent };
}

async function phaseFanout(
  motes: Product[],
  key: string,
  devices: string[],
  o: ClusterOptions,
  pgPid: number,
  rdPid: number,
): Promise<Phase> {
  const cpu = meter(motes, pgPid, rdPid);
  const run = await fanout(motes, key, devices, o);
  const expected = run.sent() * o.subscribers;
  await drain(run.delivered, () => run.delivered() >= expected);
  const usage = cpu(run.sent());
  for (const s of run.subs) await s.endAsync(true);
  return {
    sent: run.sent(),
    delivered: run.delivered(),
    expected,
    p50_ms: run.hist.percentileMs(50),
    p99_ms: run.hist.percentileMs(99),
    cpu_ms_per_msg: usage,
  };
}

async function phaseDownlink(
  motes: Product[],
  key: string,
  devices: string[],
  o: ClusterOptions,
  pgPid: number,
  rdPid: number,
): Promise<Phase> {
  const app = motes[0]?.applicationId ?? '';
  const listener = await connect(motes[0] as Product, key);
  const pushedAt = new Map<string, number>();
  const acked = new Set<string>();
  const heard = new Set<string>();
  const hist = new Histogram();
  listener.on('message', (_topic, payload) => {
    const ids = (JSON.parse(payload.toString()) as { correlation_ids?: string[] }).correlation_ids ?? [];
    for (const id of ids) {
      const at = pushedAt.get(id);
      if (at === undefined || heard.has(id)) continue;
      heard.add(id);
      hist.record((performance.now() - at) * 1000);
    }
  });
  await listener.subscribeAsync(`v3/${app}/devices/+/down/queued`);
  const pushers = await Promise.all(motes.map((m) => connect(m, key)));
  const cpu = meter(motes, pgPid, rdPid);
  const total = Math.round(o.downlinkRate * o.seconds);
  const t0 = performance.now();
  const pending: Promise<void>[] = [];
  let inFlight = 0;
  for (let i = 1; i <= total; i++) {
    const due = t0 + (i * 1000) / o.downlinkRate;
    while (performance.now() < due || inFlight >= 64) await sleep(Math.max(1, due - performance.now()));
    const cid = `bench:down:${i}`;
    const device = devices[i % devices.length];
    const body = JSON.stringify({ downlinks: [{ f_port: 1, frm_payload: 'AQ==', correlation_ids: [cid] }] });
    pushedAt.set(cid, performance.now());
    inFlight++;
    pending.push(
      (pushers[i % pushers.length] as MqttClient)
        .publishAsync(`v3/${app}/devices/${device}/down/push`, body, { qos: 1 })
        .then(
          () => void acked.add(cid),
          () => undefined,
        )
        .finally(() => {
          inFlight--;
        }),
    );
  }
  await Promise.all(pending);
  await drain(
    () => heard.size,
    () => [...acked].every((c) => heard.has(c)),
  );
  const usage = cpu(acked.size);
  const delivered = [...acked].filter((c) => heard.has(c)).length;
  for (const c of [listener, ...pushers]) await c.endAsync(true);
  return {
    sent: acked.size,
    delivered,
    expected: acked.size,
    p50_ms: hist.percentileMs(50),
    p99_ms: hist.percentileMs(99),
    cpu_ms_per_msg: usage,
  };
}

/** One size of cluster: its own database, the shared Redis, `size` Motes; both phases. */
async function runSize(
  size: number,
  o: ClusterOptions,
  adminUrl: string,
  pgPid: number,
  redisUrl: string,
  rdPid: number,
  log: (s: string) => void,
) {
  const env = {
    DATABASE_URL: await createDatabase(adminUrl),
    REDIS_URL: redisUrl,
    MOTE_KEK: randomBytes(32).toString('hex'),
    MOTE_ADMIN_PASSWORD: ADMIN_PASSWORD,
  };
  // The first migrates; the others find the schema and start together.
  const first = await startProduct(env, { adminPassword: ADMIN_PASSWORD });
  const motes = [
    first,
    ...(await Promise.all(
      Array.from({ length: size - 1 }, () => startProduct(env, { adminPassword: ADMIN_PASSWORD })),
    )),
  ];
  try {
    const admin = await adminSession(first.mote);
    const devices = Array.from({ length: o.devices }, (_, i) => `dev-${i}`);
    for (const [i, d] of devices.entries()) {
      const hex = i.toString(16).toUpperCase().padStart(8, '0');
      const r = await call(first.mote, admin, 'POST', `/api/v3/applications/${first.applicationId}/devices`, {
        end_device: { ids: { device_id: d, dev_eui: `42000000${hex}`, join_eui: '4200000000000000' } },
      });
      if (r.status !== 200) throw new Error(`create ${d}: ${JSON.stringify(r.body)}`);
    }
    log(`  cluster: ${size} instance(s) up; fan-out ${o.uplinkRate}/s for ${o.seconds} s`);
    const up = await phaseFanout(motes, first.key, devices, o, pgPid, rdPid);
    log(`  cluster: ${size} instance(s); downlinks ${o.downlinkRate}/s for ${o.seconds} s`);
    const down = await phaseDownlink(motes, first.key, devices, o, pgPid, rdPid);
    return { fanout: up, downlink: down };
  } finally {
    await Promise.all(motes.map((m) => m.stop()));
  }
}

export async function runCluster(
  o: ClusterOptions,
  log: (s: string) => void,
): Promise<{ text: string; figures: Record<string, unknown> }> {
  const template = initPgTemplate();
  const pg = await startPgCluster(template);
  const redis = await startRedis();
  try {
    const pgPid = postmasterPid(pg.port);
    const rdPid = redisPid(redis.port);
    const figures: Record<string, Awaited<ReturnType<typeof runSize>>> = {};
    for (const size of [1, 3])
      figures[`instances_${size}`] = await runSize(size, o, pg.adminUrl, pgPid, redis.url, rdPid, log);
    const rows: Cell[][] = [];
    for (const [name, r] of Object.entries(figures))
      for (const [path, p] of Object.entries(r) as [string, Phase][]) {
        const motes = p.cpu_ms_per_msg.motes.map((x) => x.toFixed(2)).join(' / ');
        rows.push([
          `${name.replace('instances_', '')} × ${path}`,
          p.sent,
          p.delivered,
          p.expected - p.delivered,
          p.p50_ms,
          p.p99_ms,
          motes,
          p.cpu_ms_per_msg.postgres,
          p.cpu_ms_per_msg.redis,
        ]);
      }
    const text = table(
      `Cluster (PostgreSQL + Redis): ${o.uplinkRate} uplinks/s to ${o.subscribers} subscribers on /up, ${o.downlinkRate} pushes/s (QoS 1) timed to down/queued; CPU in ms per message`,
      [
        'instances × path',
        'sent',
        'delivered',
        'lost',
        'p50 ms',
        'p99 ms',
        'CPU mote(s)',
        'CPU pg',
        'CPU redis',
      ],
      rows,
    );
    const lost = Object.values(figures.instances_3 ?? {}).reduce(
      (n, p: Phase) => n + p.expected - p.delivered,
      0,
    );
    // Three instances must lose nothing: say so where it cannot be missed.
    const verdict = lost > 0 ? `\nLOST ${lost} message(s) with 3 instances` : '\n3 instances: nothing lost';
    return { text: text + verdict, figures: { options: o, ...figures } };
  } finally {
    await redis.stop();
    pg.destroy();
    rmSync(template, { recursive: true, force: true });
  }
}
