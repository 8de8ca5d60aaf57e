/**
 * The gateway server's cluster state over a real redis-server (server/cluster/gateways.ts), two
 * instances in one process, each with its own connections: one merge window per frame whichever
 * instance its copies reach, pull addresses and relayed downlinks, and per-instance merging while
 * Redis is away. The two-process version, over real UDP, is test/cluster-gateways.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisGatewayCluster } from '../server/cluster/gateways';
import { connectRedis, type RedisLink } from '../server/cluster/redis';
import type { GatewayCluster } from '../server/gs/cluster';
import { createMerger, type Merger } from '../server/gs/merge';
import type { PendingUp } from '../server/gs/outcomes';
import { silentLogger } from '../server/log';
import type { RadioMetadata } from '../server/ns/ports';
import { waitFor } from './helpers/mqtt';
import { radio } from './helpers/otaaDevice';
import { type RunningRedis, startRedis } from './helpers/redis';

let redis: RunningRedis;
const links: RedisLink[] = [];
const clusters: GatewayCluster[] = [];

beforeAll(async () => {
  redis = await startRedis();
});

afterAll(async () => {
  for (const c of clusters) await c.close();
  for (const link of links) await link.close();
  await redis?.stop();
});

interface Instance {
  id: string;
  cluster: GatewayCluster;
  merger: Merger;
  delivered: Array<{ phyPayload: Uint8Array; radios: readonly RadioMetadata[] }>;
  handedOver: PendingUp[][];
  errors: unknown[];
}

async function instance(): Promise<Instance> {
  const link = await connectRedis(redis.url, silentLogger, 'gs-test:');
  links.push(link);
  const cluster = await redisGatewayCluster(link, silentLogger);
  clusters.push(cluster);
  const i: Instance = {
    id: link.origin.toString('hex'),
    cluster,
    delivered: [],
    handedOver: [],
    errors: [],
    merger: undefined as unknown as Merger,
  };
  i.merger = createMerger((phyPayload, radios) => i.delivered.push({ phyPayload, radios }), 200, {
    windows: cluster.windows,
    handedOver: (ups) => i.handedOver.push([...ups]),
    onError: (err) => i.errors.push(err),
  });
  return i;
}

const up = (eui: string): PendingUp => ({ eui, time: new Date().toISOString(), event: { kind: 'up' } });
const euis = (radios: readonly RadioMetadata[]) => radios.map((r) => r.gatewayIds.eui).sort();

describe('gateways across instances through Redis', () => {
  it('merges a frame heard on two instances once, with every gateway’s radio', async () => {
    const [a, b] = [await instance(), await instance()];
    const frame = randomBytes(20);
    const at = new Date();
    const [g1, g2, g3] = [radio(at, { n: 1 }), radio(at, { n: 2 }), radio(at, { n: 3 })];
    a.merger.add(frame, g1, up(g1.gatewayIds.eui ?? ''));
    b.merger.add(frame, g2, up(g2.gatewayIds.eui ?? ''));
    // A second gateway on B, heard while its claim may still be on its way.
    b.merger.add(frame, g3, up(g3.gatewayIds.eui ?? ''));
    await waitFor(
      () => a.delivered.length + b.delivered.length > 0 && a.merger.pending() + b.merger.pending() === 0,
    );
    await waitFor(() => a.handedOver.length + b.handedOver.length > 0);
    const all = [...a.delivered, ...b.delivered];
    expect(all).toHaveLength(1);
    expect(Buffer.from(all[0]!.phyPayload).equals(frame)).toBe(true);
    expect(euis(all[0]!.radios)).toEqual(euis([g1, g2, g3]));
    // The other instance forwarded nothing and recorded its gateways' copies itself.
    const handed = [...a.handedOver, ...b.handedOver];
    expect(handed).toHaveLength(1);
    expect(handed[0]!.length).toBe(a.delivered.length ? 2 : 1);
    expect([...a.errors, ...b.errors]).toEqual([]);
  });

  it('knows which instance holds a gateway’s pull address, and relays a PULL_RESP to it', async () => {
    const [a, b] = [await instance(), await instance()];
    const eui = randomBytes(8).toString('hex').toUpperCase();
    expect(await a.cluster.pullHolder(eui)).toBeUndefined();
    b.cluster.pulled(eui, 30_000);
    // PULL_DATA's write is not awaited: the holder shows once it lands.
    while ((await a.cluster.pullHolder(eui)) !== b.id) await new Promise((r) => setTimeout(r, 5));
    // The holder itself is not "another instance".
    expect(await b.cluster.pullHolder(eui)).toBeUndefined();

    const asked: string[] = [];
    b.cluster.onRelay(async (tx) => {
      asked.push(`${tx.eui}/${tx.window}`);
      return tx.window === 'rx1' ? 'TOO_LATE' : 'NONE';
    });
    const txpk = {
      imme: false as const,
      tmst: 1,
      freq: 868.1,
      rfch: 0,
      powe: 14,
      modu: 'LORA' as const,
      datr: 'SF7BW125',
      codr: '4/5',
      ipol: true,
      size: 1,
      data: 'AA==',
      ncrc: true,
    };
    expect(await a.cluster.relay(b.id, { eui, txpk, window: 'rx1' }, 5000)).toBe('TOO_LATE');
    expect(await a.cluster.relay(b.id, { eui, txpk, window: 'rx2' }, 5000)).toBe('NONE');
    expect(asked).toEqual([`${eui}/rx1`, `${eui}/rx2`]);
    // An instance nobody listens for: no path, at once.
    expect(await a.cluster.relay('00'.repeat(16), { eui, txpk, window: 'rx1' }, 5000)).toBe('NO_PATH');
  });

  it('merges per instance while Redis is away', async () => {
    const [a, b] = [await instance(), await instance()];
    await redis.kill();
    try {
      const frame = randomBytes(20);
      const at = new Date();
      a.merger.add(frame, radio(at, { n: 1 }), up('A'));
      b.merger.add(frame, radio(at, { n: 2 }), up('B'));
      await waitFor(() => a.delivered.length === 1 && b.delivered.length === 1);
      expect(a.errors.length).toBeGreaterThan(0);
      expect(a.delivered[0]!.radios).toHaveLength(1);
    } finally {
      await redis.start();
    }
  });
});
