/**
 * Two instances' caches joined by an in-memory pair of the Notices port (what Redis carries in
 * production: test/cluster.test.ts runs that): a write on one drops the other's entry, after any
 * open transaction ends; lost notices clear everything.
 */
import { describe, expect, it } from 'vitest';
import { NOTICES_LOST, type Notices } from '../cluster/notices';
import { SharedNsDeviceCache } from './cacheNotices';
import { PerDeviceCache } from './perDeviceCache';
import type { NsDevice } from './ports';
import { VersionIdsCache } from './versionIds';

/** Two ends: what one sends, the other hears. */
function pair(): [Notices & { hear(text: string): void }, Notices & { hear(text: string): void }] {
  const end = () => {
    const listeners = new Set<(text: string) => void>();
    return {
      peer: undefined as undefined | { hear(text: string): void },
      send(text: string) {
        this.peer?.hear(text);
      },
      on(listener: (text: string) => void) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      hear(text: string) {
        for (const l of listeners) l(text);
      },
      close: async () => {},
    };
  };
  const a = end();
  const b = end();
  a.peer = b;
  b.peer = a;
  return [a, b];
}

const device = (id: string, devAddr: string) =>
  ({
    ids: { device_id: id, application_ids: { application_id: 'app1' } },
    session: { devAddr },
  }) as unknown as NsDevice;

function cached(cache: SharedNsDeviceCache, devAddr: string, devices: NsDevice[]) {
  cache.fill(devAddr, cache.startFill(devAddr), devices);
}

const turn = () => new Promise((r) => setImmediate(r));

describe('caches shared between instances', () => {
  it('a device written on A is dropped from B, with its version IDs and identity', async () => {
    const [toB, toA] = pair();
    const versionsB = new VersionIdsCache();
    const identitiesB = new PerDeviceCache<string>();
    const a = new SharedNsDeviceCache([new VersionIdsCache()]);
    const b = new SharedNsDeviceCache([versionsB, identitiesB]);
    a.share(toB);
    b.share(toA);
    cached(b, '26000001', [device('dev1', '26000001')]);
    cached(b, '26000002', []);
    let loads = 0;
    await versionsB.get('app1/dev1', async () => ({ brand_id: String(++loads) }));
    await identitiesB.get('app1/dev1', async () => 'before');
    // dev1 moved to a DevAddr B knew to be nobody's: both entries go.
    a.device('app1', 'dev1', '26000002');
    expect(b.get('26000001')).toBeDefined();
    await turn();
    expect(b.get('26000001')).toBeUndefined();
    expect(b.get('26000002')).toBeUndefined();
    expect(await versionsB.get('app1/dev1', async () => ({ brand_id: String(++loads) }))).toEqual({
      brand_id: '2',
    });
    expect(await identitiesB.get('app1/dev1', async () => 'after')).toBe('after');
  });

  it('holds notices until the transaction that wrote ends', async () => {
    const [toB, toA] = pair();
    const a = new SharedNsDeviceCache([new VersionIdsCache()]);
    const b = new SharedNsDeviceCache([new VersionIdsCache()]);
    a.share(toB);
    b.share(toA);
    cached(b, '26000001', [device('dev1', '26000001')]);
    let release = () => {};
    const open = a.holding(async () => {
      a.device('app1', 'dev1', '26000001');
      await new Promise<void>((r) => (release = r));
    });
    await turn();
    await turn();
    expect(b.get('26000001')).toBeDefined();
    release();
    await open;
    await turn();
    expect(b.get('26000001')).toBeUndefined();
  });

  it('drops a device again when the transaction that wrote it ends: a read meanwhile saw the old row', async () => {
    const identities = new PerDeviceCache<string>();
    const a = new SharedNsDeviceCache([identities]);
    await identities.get('app1/dev1', async () => 'before');
    await identities.get('app1/dev2', async () => 'untouched');
    await a.holding(async () => {
      a.device('app1', 'dev1', '26000001');
      // Outside the transaction (PostgreSQL reads what is committed): the old row, kept.
      expect(await identities.get('app1/dev1', async () => 'before')).toBe('before');
    });
    expect(await identities.get('app1/dev1', async () => 'after')).toBe('after');
    expect(await identities.get('app1/dev2', async () => 'read again')).toBe('untouched');
  });

  it('clears everything when notices may have been lost', () => {
    const [toB] = pair();
    const b = new SharedNsDeviceCache([new VersionIdsCache()]);
    b.share(toB);
    cached(b, '26000001', [device('dev1', '26000001')]);
    toB.hear(NOTICES_LOST);
    expect(b.size).toBe(0);
  });

  it('alone (not shared), it is the in-process cache', async () => {
    const a = new SharedNsDeviceCache([new VersionIdsCache()]);
    cached(a, '26000001', [device('dev1', '26000001')]);
    a.device('app1', 'dev1', '26000001');
    expect(a.get('26000001')).toBeUndefined();
  });
});
