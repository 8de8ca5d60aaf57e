import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENGINES, type EngineName, type StorePlace, storePlace } from '../../test/helpers/engines';
import { silentLogger } from '../log';
import type { HistoryRecord, Store } from './ports';

let place: StorePlace | undefined;
let store: Store | undefined;
let engine: EngineName;
afterEach(async () => {
  await store?.close();
  place?.dispose();
});

const record = (n: number): HistoryRecord => ({
  applicationId: 'app1',
  deviceId: 'dev1',
  type: 'uplink_message',
  receivedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, n)).toISOString(),
  message: JSON.stringify({ n }),
  correlationIds: [`as:up:${n}`],
});
/** In the order they were written (seq), which is the order `events/related` returns. */
const stored = async () =>
  (await store!.history.query({ applicationId: 'app1', order: 'asc', limit: 10_000 }))
    .sort((a, b) => a.seq - b.seq)
    .map((r) => (JSON.parse(r.message) as { n: number }).n);
const start = async (o: { flushIntervalMs: number; maxBatch?: number; maxBuffered?: number }) => {
  place = await storePlace(engine);
  store = await place.open({ log: silentLogger, history: o, kek: Buffer.alloc(32, 7) });
  return store.history;
};

describe.each(ENGINES)('history write-behind batches (%s)', (name) => {
  beforeEach(() => {
    engine = name;
  });

  it('writes a backlog in batches of maxBatch, in publish order, every message once', async () => {
    const w = await start({ flushIntervalMs: 0, maxBatch: 10 });
    for (let n = 0; n < 35; n++) w.append(record(n));
    await w.flush();
    expect(await stored()).toEqual(Array.from({ length: 35 }, (_, n) => n));
  });

  it('writes a full batch without waiting for the interval', async () => {
    const w = await start({ flushIntervalMs: 60_000, maxBatch: 5 });
    for (let n = 0; n < 5; n++) w.append(record(n));
    await expect.poll(stored, { timeout: 5_000 }).toEqual([0, 1, 2, 3, 4]);
  });

  it('when the database falls behind, drops the oldest unwritten messages and keeps the newest', async () => {
    const w = await start({ flushIntervalMs: 0, maxBuffered: 20 });
    for (let n = 0; n < 50; n++) w.append(record(n));
    await w.flush();
    const kept = await stored();
    console.log(`kept ${kept.length} of 50 with room for 20`);
    expect(kept.length).toBeLessThanOrEqual(20);
    expect(kept.at(-1)).toBe(49);
    expect(kept).toEqual([...kept].sort((a, b) => a - b));
  });

  it('stores the records of a unit of work after what was appended before it, in one commit', async () => {
    const w = await start({ flushIntervalMs: 0 });
    w.append(record(0));
    w.append(record(1));
    await store!.transaction(async (tx) => {
      tx.history.record(record(2));
      // Appended while the unit runs: published before the unit's messages, stored before them.
      w.append(record(3));
    });
    w.append(record(4));
    await w.flush();
    expect(await stored()).toEqual([0, 1, 3, 2, 4]);
  });

  it('a unit of work that fails stores none of its records and keeps what was appended', async () => {
    const w = await start({ flushIntervalMs: 0 });
    await store!.applications.create('app1', {}, new Date());
    await store!.devices.create('app1', 'dev1', {}, new Date());
    w.append(record(0));
    await expect(
      store!.transaction(async (tx) => {
        tx.history.record(record(1));
        await tx.queue.push('app1', 'dev1', ['{}'], 10, new Date());
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await stored()).toEqual([]);
    await w.flush();
    expect(await stored()).toEqual([0]);
    expect(await store!.queue.list('app1', 'dev1')).toEqual([]);
  });
});
