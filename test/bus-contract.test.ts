/**
 * What every EventBus promises (server/bus/bus.ts), run against both implementations: the
 * in-process bus and the Redis bus over a real redis-server (STYLE 12: one suite for
 * interchangeable parts). Between instances: test/redis-bus.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BusMessage, createLocalBus, type EventBus } from '../server/bus/bus';
import { createRedisBus } from '../server/bus/redisBus';
import { connectRedis, type RedisLink } from '../server/cluster/redis';
import { silentLogger } from '../server/log';
import { upMessage, waitFor } from './helpers/mqtt';
import { type RunningRedis, startRedis } from './helpers/redis';

interface Subject {
  bus: EventBus;
  errors: unknown[];
  /** Subscriptions in effect (Redis confirms them). */
  settled(): Promise<void>;
}

let redis: RunningRedis;
const links: RedisLink[] = [];
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  for (const link of links) await link.close();
  await redis?.stop();
});

const implementations: Array<[string, () => Promise<Subject>]> = [
  [
    'in-process',
    async () => {
      const errors: unknown[] = [];
      return { bus: createLocalBus((e) => errors.push(e)), errors, settled: async () => {} };
    },
  ],
  [
    'Redis',
    async () => {
      const errors: unknown[] = [];
      const link = await connectRedis(redis.url, silentLogger, `contract-${links.length}:`);
      links.push(link);
      const bus = createRedisBus(link, silentLogger, (e) => errors.push(e));
      return { bus, errors, settled: () => bus.settled() };
    },
  ],
];

describe.each(implementations)('EventBus contract: %s', (_name, make) => {
  it('gives each listener its application’s messages once, and `*` every application’s', async () => {
    const { bus, settled } = await make();
    const app1: BusMessage[] = [];
    const app2: BusMessage[] = [];
    const all: BusMessage[] = [];
    bus.subscribe('app1', (m) => app1.push(m));
    bus.subscribe('app2', (m) => app2.push(m));
    bus.subscribe('*', (m) => all.push(m));
    await settled();
    bus.publish(upMessage('app1', 'dev', 'up', 1));
    bus.publish(upMessage('app2', 'dev', 'up', 2));
    bus.publish(upMessage('app3', 'dev', 'up', 3));
    // A marker on app1 last: once it is in, anything repeated before it would be too.
    bus.publish(upMessage('app1', 'marker'));
    await waitFor(() => app1.some((m) => m.deviceId === 'marker') && all.length >= 4);
    expect(app1.map((m) => m.deviceId)).toEqual(['dev', 'marker']);
    expect(app2.map((m) => m.applicationId)).toEqual(['app2']);
    expect(all.map((m) => m.applicationId)).toEqual(['app1', 'app2', 'app3', 'app1']);
  });

  it('stops delivering once unsubscribed', async () => {
    const { bus, settled } = await make();
    const heard: BusMessage[] = [];
    const stop = bus.subscribe('app1', (m) => heard.push(m));
    const other: BusMessage[] = [];
    bus.subscribe('app1', (m) => other.push(m));
    await settled();
    stop();
    bus.publish(upMessage('app1', 'dev'));
    await waitFor(() => other.length === 1);
    expect(heard).toEqual([]);
  });

  it('keeps a failing listener from the others, and reports it', async () => {
    const { bus, errors, settled } = await make();
    const heard: BusMessage[] = [];
    bus.subscribe('app1', () => {
      throw new Error('listener broke');
    });
    bus.subscribe('app1', (m) => heard.push(m));
    await settled();
    bus.publish(upMessage('app1', 'dev'));
    await waitFor(() => heard.length === 1);
    expect(errors).toMatchObject([{ message: 'listener broke' }]);
  });
});
