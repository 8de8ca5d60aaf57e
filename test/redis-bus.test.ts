/**
 * The Redis bus (server/bus/redisBus.ts) between three instances over a real redis-server: each
 * listener gets each message once, in order per device, wherever it was published; an
 * instance only hears the applications it listens to; a Redis restart under traffic is
 * reconnected and the bus resumes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusMessage } from '../server/bus/bus';
import { createRedisBus, type RedisBus } from '../server/bus/redisBus';
import { connectRedis, type RedisLink } from '../server/cluster/redis';
import { silentLogger } from '../server/log';
import { upMessage, waitFor } from './helpers/mqtt';
import { type RunningRedis, startRedis } from './helpers/redis';

let redis: RunningRedis;
const links: RedisLink[] = [];
const buses: RedisBus[] = [];

beforeAll(async () => {
  redis = await startRedis();
  for (let i = 0; i < 3; i++) {
    const link = await connectRedis(redis.url, silentLogger, 'bus-test:');
    links.push(link);
    buses.push(createRedisBus(link, silentLogger));
  }
});

afterAll(async () => {
  for (const bus of buses) await bus.close();
  for (const link of links) await link.close();
  await redis?.stop();
});

const bus = (i: number) => buses[i] as RedisBus;
const key = (m: BusMessage) => `${m.deviceId}#${JSON.parse(m.payload.toString()).n}`;

describe('RedisBus, three instances', () => {
  it('delivers every message once to every listener, in order per device, wherever it was published', async () => {
    const heard = buses.map(() => [] as BusMessage[]);
    const everything: BusMessage[] = [];
    const stops = buses.map((b, i) => b.subscribe('fleet', (m) => heard[i]?.push(m)));
    stops.push(bus(0).subscribe('*', (m) => everything.push(m)));
    await Promise.all(buses.map((b) => b.settled()));

    // Device d{i} is on instance i (its gateway's or its simulator lease's); each sends 100.
    const perDevice = 100;
    for (let n = 0; n < perDevice; n++) {
      for (let i = 0; i < 3; i++) {
        const m = upMessage('fleet', `d${i}`, 'up', n);
        bus(i).publish({
          ...m,
          audience: n % 10 === 0 ? 'console' : undefined,
          correlationIds: [`as:up:${n}`],
        });
      }
    }
    const total = 3 * perDevice;
    await waitFor(() => heard.every((h) => h.length >= total) && everything.length >= total);
    // Let any duplicate that would follow arrive before counting.
    bus(0).publish(upMessage('fleet', 'marker', 'up', 0));
    await waitFor(() => heard.every((h) => h.some((m) => m.deviceId === 'marker')));

    for (const h of [...heard, everything]) {
      const own = h.filter((m) => m.deviceId !== 'marker');
      expect(own).toHaveLength(total);
      expect(new Set(own.map(key)).size).toBe(total);
      for (let i = 0; i < 3; i++) {
        const ns = own.filter((m) => m.deviceId === `d${i}`).map((m) => JSON.parse(m.payload.toString()).n);
        expect(ns).toEqual([...Array(perDevice).keys()]);
      }
    }
    // The envelope crosses intact: topic, event, type, correlation IDs, the console audience.
    const remote = heard[1]?.find((m) => m.deviceId === 'd0' && key(m) === 'd0#10');
    expect(remote).toMatchObject({
      applicationId: 'fleet',
      event: 'up',
      topic: 'v3/fleet/devices/d0/up',
      type: 'uplink_message',
      correlationIds: ['as:up:10'],
      audience: 'console',
    });
    expect(heard[1]?.find((m) => key(m) === 'd0#11')?.audience).toBeUndefined();
    for (const stop of stops) stop();
  });

  it('hands an instance only the applications it listens to', async () => {
    const onA: BusMessage[] = [];
    const onB: BusMessage[] = [];
    const stops = [
      bus(1).subscribe('app-a', (m) => onA.push(m)),
      bus(2).subscribe('app-b', (m) => onB.push(m)),
    ];
    await Promise.all(buses.map((b) => b.settled()));
    bus(0).publish(upMessage('app-a', 'dev', 'up', 1));
    bus(0).publish(upMessage('app-b', 'dev', 'up', 2));
    await waitFor(() => onA.length === 1 && onB.length === 1);
    expect(onA[0]?.applicationId).toBe('app-a');
    expect(onB[0]?.applicationId).toBe('app-b');
    for (const stop of stops) stop();
  });

  it('resumes after Redis is killed and restarted under traffic', async () => {
    const heard: BusMessage[] = [];
    const stop = bus(1).subscribe('restart', (m) => heard.push(m));
    await bus(1).settled();
    let n = 0;
    const traffic = setInterval(() => bus(0).publish(upMessage('restart', 'dev', 'up', n++)), 5);
    try {
      await waitFor(() => heard.length > 0);
      await redis.restart();
      const after = n;
      // Reconnected and resubscribed: traffic published after the restart arrives again.
      await waitFor(() => heard.some((m) => JSON.parse(m.payload.toString()).n > after));
    } finally {
      clearInterval(traffic);
      stop();
    }
    // Still in order: what was lost in the outage is a gap, never a reordering or a repeat.
    const ns = heard.map((m) => JSON.parse(m.payload.toString()).n as number);
    expect(ns).toEqual([...ns].sort((a, b) => a - b));
    expect(new Set(ns).size).toBe(ns.length);
  });
});
