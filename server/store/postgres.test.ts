/**
 * What only the PostgreSQL store has to get right: several instances on one database (a
 * migration race, the downlink queue popped from two instances at once, history from both) and
 * a server that goes away and comes back. The verbs themselves run on both engines in the
 * shared suites (storeEngines.test.ts and the suites that take an engine).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, ownPgCluster, type PgCluster, suiteDatabase } from '../../test/helpers/postgres';
import { silentLogger } from '../log';
import { kekMismatch } from './errors';
import { databaseUnavailable } from './pgFaults';
import type { Store } from './ports';
import { openPostgresStore } from './postgres';

const KEK = Buffer.alloc(32, 5);
const now = new Date('2026-01-01T00:00:00Z');
const open = (url: string) => openPostgresStore(url, { log: silentLogger, kek: KEK, poolSize: 4 });

describe('PostgreSQL store, several instances on one database', () => {
  let url: string;
  let a: Store;
  let b: Store;
  beforeAll(async () => {
    url = await suiteDatabase();
    // Three instances starting together: one migrates, the others wait on the advisory lock.
    const stores = await Promise.all([open(url), open(url), open(url)]);
    [a, b] = stores as [Store, Store, Store];
    await stores[2]?.close();
    await a.applications.create('app1', {}, now);
    await a.devices.create('app1', 'dev1', {}, now);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('lets only instances with the same key-encryption key start on one database', async () => {
    const fresh = await suiteDatabase();
    const other = openPostgresStore(fresh, { log: silentLogger, kek: Buffer.alloc(32, 6), poolSize: 2 });
    const results = await Promise.allSettled([open(fresh), other]);
    // Whichever sealed the check value first, the other one refuses to start.
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')?.reason).toSatisfy((e: unknown) => kekMismatch.is(e));
    for (const r of results) if (r.status === 'fulfilled') await r.value.close();
  });

  it('never hands the same queue item to two instances popping at once', async () => {
    const items = Array.from({ length: 200 }, (_, i) => `{"f_port":1,"n":${i}}`);
    await a.queue.push('app1', 'dev1', items, 1000, now);
    const taken: string[] = [];
    const drain = async (store: Store) => {
      for (;;) {
        const item = await store.queue.pop('app1', 'dev1');
        if (item === undefined) {
          // Empty for this instance: another may still hold a locked head it skipped.
          if ((await store.queue.count('app1', 'dev1')) === 0) return;
          continue;
        }
        taken.push(item);
      }
    };
    // Four takers a side, each with its own pooled connection.
    await Promise.all([
      ...Array.from({ length: 4 }, () => drain(a)),
      ...Array.from({ length: 4 }, () => drain(b)),
    ]);
    expect(new Set(taken).size).toBe(taken.length);
    expect(taken.sort()).toEqual([...items].sort());
  });

  it('keeps the capacity when two instances push at once', async () => {
    const pushes = Array.from({ length: 10 }, (_, i) =>
      (i % 2 ? a : b).queue.push('app1', 'dev1', ['{"f_port":2}', '{"f_port":3}'], 5, now),
    );
    const results = await Promise.allSettled(pushes);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    expect(await a.queue.count('app1', 'dev1')).toBe(4);
    await a.queue.clear('app1', 'dev1');
  });

  it('serializes read-modify-write units of one device across instances (no lost update)', async () => {
    await a.devices.setSession('app1', 'dev1', { n: 0 });
    const increment = (store: Store) =>
      store.transaction(async (unit) => {
        const s = (await unit.devices.getSession<{ n: number }>('app1', 'dev1')) ?? { n: 0 };
        await unit.devices.setSession('app1', 'dev1', { n: s.n + 1 });
      });
    await Promise.all(Array.from({ length: 12 }, (_, i) => increment(i % 2 ? a : b)));
    expect(await a.devices.getSession('app1', 'dev1')).toEqual({ n: 12 });
  });

  it('numbers history from both instances without a collision', async () => {
    const record = (n: number) => ({
      applicationId: 'app1',
      deviceId: 'dev1',
      type: 'uplink_message',
      receivedAt: new Date(now.getTime() + n).toISOString(),
      message: JSON.stringify({ n }),
      correlationIds: [`cid:${n}`],
    });
    for (let n = 0; n < 100; n++) (n % 2 ? a : b).history.append(record(n));
    await Promise.all([a.history.flush(), b.history.flush()]);
    const rows = await b.history.query({ applicationId: 'app1', order: 'asc', limit: 1000 });
    expect(rows).toHaveLength(100);
    expect(new Set(rows.map((r) => r.seq)).size).toBe(100);
    expect((await a.history.related('cid:7', { limit: 10 })).map((r) => r.message)).toEqual(['{"n":7}']);
    // Retention: all but the newest 10 by `seq` (whichever instance committed last), correlation
    // IDs with them.
    const bySeq = [...rows]
      .sort((x, y) => y.seq - x.seq)
      .map((r) => (JSON.parse(r.message) as { n: number }).n);
    expect(await b.history.prune(now.toISOString(), 10)).toBe(90);
    const left = await a.history.query({ applicationId: 'app1', order: 'asc', limit: 1000 });
    expect(left.map((r) => (JSON.parse(r.message) as { n: number }).n).sort()).toEqual(
      bySeq.slice(0, 10).sort(),
    );
    expect(await a.history.related(`cid:${bySeq[0]}`, { limit: 10 })).toHaveLength(1);
    expect(await a.history.related(`cid:${bySeq[10]}`, { limit: 10 })).toEqual([]);
  });
});

describe('PostgreSQL store, server down and back', () => {
  let cluster: PgCluster;
  let store: Store;
  beforeAll(async () => {
    // A cluster of its own: stopping it must not touch the other suites' databases.
    cluster = await ownPgCluster();
    store = await open(await createDatabase(cluster.adminUrl));
  });
  afterAll(async () => {
    await store?.close();
    cluster?.destroy();
  });

  it('answers storage_unavailable while the server is down, and works again once it is back', async () => {
    await store.applications.create('before', {}, now);
    cluster.stop();
    await expect(store.applications.create('during', {}, now)).rejects.toSatisfy((e) =>
      databaseUnavailable.is(e),
    );
    await expect(store.applications.list()).rejects.toSatisfy((e) => databaseUnavailable.is(e));
    cluster.start();
    await store.applications.create('after', {}, now);
    expect((await store.applications.list()).map((a) => a.application_id)).toEqual(['after', 'before']);
  });

  it('refuses to start on a server nobody answers at, saying so', async () => {
    const url = new URL(cluster.adminUrl);
    cluster.stop();
    try {
      await expect(open(url.toString())).rejects.toSatisfy((e) => databaseUnavailable.is(e));
    } finally {
      cluster.start();
    }
  });
});
