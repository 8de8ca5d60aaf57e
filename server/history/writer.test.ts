import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Fixture, openFixture } from '../as/fixture';
import type { BusMessage } from '../bus/bus';
import { silentLogger } from '../log';
import { historyStore } from '../store/history';
import { type HistoryWriter, startHistoryWriter } from './writer';

let f: Fixture;
let writer: HistoryWriter | undefined;
beforeEach(async () => {
  f = await openFixture();
});
afterEach(async () => {
  await writer?.stop();
  await f.close();
});

const message = (n: number): BusMessage => ({
  applicationId: 'app1',
  deviceId: 'dev1',
  event: 'up',
  topic: 'v3/app1/devices/dev1/up',
  payload: Buffer.from(JSON.stringify({ n })),
  type: 'uplink_message',
  receivedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, n)).toISOString(),
  correlationIds: [`as:up:${n}`],
});
const stored = async () =>
  (await historyStore(f.store.db).query({ applicationId: 'app1', order: 'asc', limit: 10_000 })).map(
    (r) => (JSON.parse(r.message) as { n: number }).n,
  );
const start = (o: { flushIntervalMs: number; maxBatch?: number; maxBuffered?: number }) => {
  writer = startHistoryWriter({
    store: f.store,
    bus: f.bus,
    clock: f.clock,
    log: silentLogger,
    config: { historyDays: 7, historyMaxRows: 100_000 },
    pruneIntervalMs: 0,
    ...o,
  });
  return writer;
};

describe('history writer batches', () => {
  it('writes a backlog in batches of maxBatch, in publish order, every message once', async () => {
    const w = start({ flushIntervalMs: 0, maxBatch: 10 });
    for (let n = 0; n < 35; n++) f.bus.publish(message(n));
    await w.flush();
    expect(await stored()).toEqual(Array.from({ length: 35 }, (_, n) => n));
  });

  it('writes a full batch without waiting for the interval', async () => {
    start({ flushIntervalMs: 60_000, maxBatch: 5 });
    for (let n = 0; n < 5; n++) f.bus.publish(message(n));
    await expect.poll(stored, { timeout: 5_000 }).toEqual([0, 1, 2, 3, 4]);
  });

  it('when the database falls behind, drops the oldest unwritten messages and keeps the newest', async () => {
    const w = start({ flushIntervalMs: 0, maxBuffered: 20 });
    for (let n = 0; n < 50; n++) f.bus.publish(message(n));
    await w.flush();
    const kept = await stored();
    console.log(`kept ${kept.length} of 50 with room for 20`);
    expect(kept.length).toBeLessThanOrEqual(20);
    expect(kept.at(-1)).toBe(49);
    expect(kept).toEqual([...kept].sort((a, b) => a - b));
  });
});
