/**
 * The cluster-state ports over a real redis-server, between instances. Leases
 * (server/cluster/leases.ts): one holder at a time; a holder that dies (its connection gone,
 * nothing released) is taken over once its lease runs out, and has stopped acting on it before
 * anyone else starts. Throttles (server/cluster/clusterThrottle.ts): counted per cluster, and per
 * instance while Redis is away.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterConnectFailures, clusterLoginThrottle } from '../server/cluster/clusterThrottle';
import { type Leases, redisLeases } from '../server/cluster/leases';
import { connectRedis, type RedisLink } from '../server/cluster/redis';
import { silentLogger } from '../server/log';
import { waitFor } from './helpers/mqtt';
import { type RunningRedis, startRedis } from './helpers/redis';

let redis: RunningRedis;
const links: RedisLink[] = [];
const leases: Leases[] = [];

beforeAll(async () => {
  redis = await startRedis();
});

afterAll(async () => {
  for (const l of leases) await l.close();
  for (const link of links) await link.close();
  await redis?.stop();
});

async function instance(ttlMs: number): Promise<{ link: RedisLink; leases: Leases; acquired: string[] }> {
  const link = await connectRedis(redis.url, silentLogger, 'lease-test:');
  links.push(link);
  const l = redisLeases(link, silentLogger, { ttlMs });
  leases.push(l);
  const acquired: string[] = [];
  l.onAcquired((name) => acquired.push(name));
  return { link, leases: l, acquired };
}

describe('leases through Redis', () => {
  it('has one holder at a time, and another takes over once a dead holder’s lease runs out', async () => {
    // 3 s: long enough that a busy test machine's stalls do not end a lease by themselves.
    const a = await instance(3000);
    const b = await instance(3000);
    const c = await instance(3000);
    a.leases.want('sim:fleet/sensor');
    await waitFor(() => a.leases.holds('sim:fleet/sensor'));
    b.leases.want('sim:fleet/sensor');
    c.leases.want('sim:fleet/sensor');

    // A dies: no renewal, no release. Whoever takes over finds A already stopped.
    let aHeldAtTakeover: boolean | undefined;
    const check = () => {
      aHeldAtTakeover ??= a.leases.holds('sim:fleet/sensor');
    };
    b.leases.onAcquired(check);
    c.leases.onAcquired(check);
    a.link.cmd.disconnect();
    await waitFor(() => b.acquired.length + c.acquired.length > 0, 20);
    expect(aHeldAtTakeover).toBe(false);
    // One of them took it, and the other did not.
    expect(b.acquired.length === 0 || c.acquired.length === 0).toBe(true);
    expect(b.leases.holds('sim:fleet/sensor')).not.toBe(c.leases.holds('sim:fleet/sensor'));
  });

  it('hands a released lease on at the next renewal', async () => {
    const a = await instance(1000);
    const b = await instance(1000);
    a.leases.want('sim:app/dev');
    await waitFor(() => a.leases.holds('sim:app/dev'));
    b.leases.want('sim:app/dev');
    a.leases.release('sim:app/dev');
    expect(a.leases.holds('sim:app/dev')).toBe(false);
    await waitFor(() => b.leases.holds('sim:app/dev'), 20);
  });
});

describe('throttles through Redis', () => {
  it('counts login failures per cluster, and per instance while Redis is away', async () => {
    const [a, b] = [await instance(1000), await instance(1000)];
    const onA = clusterLoginThrottle(a.link, 2, 60_000, silentLogger);
    const onB = clusterLoginThrottle(b.link, 2, 60_000, silentLogger);
    const now = Date.now();
    expect(await onA.take('192.0.2.1', now)).toBe(0);
    expect(await onB.take('192.0.2.1', now + 1)).toBe(0);
    // Two failures in the cluster: refused on either, until the first is a window old.
    expect(await onA.take('192.0.2.1', now + 2)).toBe(60_000 - 2);
    expect(await onB.retryAfter('192.0.2.1', now + 2)).toBe(60_000 - 2);
    await onB.succeed('192.0.2.1');
    expect(await onA.retryAfter('192.0.2.1', now + 3)).toBe(0);

    await redis.kill();
    try {
      // Away: each instance counts on its own, so the limit still holds per instance.
      expect(await onA.take('192.0.2.2', now)).toBe(0);
      expect(await onA.take('192.0.2.2', now + 1)).toBe(0);
      expect(await onA.take('192.0.2.2', now + 2)).toBeGreaterThan(0);
    } finally {
      await redis.start();
    }
    await waitFor(() => a.link.cmd.status === 'ready' && b.link.cmd.status === 'ready', 20);
    expect(await onB.take('192.0.2.3', now)).toBe(0);
  });

  it('counts refused CONNECTs per (IP, username) across instances', async () => {
    const [a, b] = [await instance(1000), await instance(1000)];
    const options = { maxFailures: 2, windowMs: 60_000, firstDelayMs: 250, maxDelayMs: 4_000 };
    const onA = clusterConnectFailures(a.link, options, silentLogger);
    const onB = clusterConnectFailures(b.link, options, silentLogger);
    const now = Date.now();
    expect(await onA.fail('192.0.2.9', 'app1', now)).toBe(0);
    expect(await onB.fail('192.0.2.9', 'app1', now + 1)).toBe(0);
    expect(await onA.fail('192.0.2.9', 'app1', now + 2)).toBe(250);
    expect(await onB.fail('192.0.2.9', 'app1', now + 3)).toBe(500);
    expect(await onB.fail('192.0.2.9', 'app2', now + 3)).toBe(0);
  });
});
