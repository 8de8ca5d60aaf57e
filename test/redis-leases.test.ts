/**
 * Simulator leases (server/cluster/leases.ts) between instances over a real redis-server: one
 * holder at a time; a holder that dies (its connection gone, nothing released) is taken over once
 * its lease runs out, and it has stopped acting on it before anyone else starts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    const a = await instance(1000);
    const b = await instance(1000);
    const c = await instance(1000);
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
    expect(b.acquired.length + c.acquired.length).toBe(1);
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
