import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteDatabase } from './db';
import { historyRows } from './history';

let dir: string;
let store: Awaited<ReturnType<typeof openSqliteDatabase>>;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mote-checkpoint-'));
});
afterEach(async () => {
  await store?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const walBytes = () => statSync(join(dir, 'mote.sqlite-wal')).size;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const message = 'x'.repeat(1000);

describe('WAL checkpoints in a worker', () => {
  it('keep the WAL small while history is written, though the main connection no longer checkpoints', async () => {
    store = await openSqliteDatabase(dir, { checkpointIntervalMs: 20 });
    const history = historyRows(store.db);
    let seq = 0;
    // ~30 MB through the WAL in 30 transactions: without checkpoints the WAL would hold it all
    // (the main connection's backstop is 64 MB).
    for (let batch = 0; batch < 30; batch++) {
      await history.insertMany(
        Array.from({ length: 500 }, () => ({
          applicationId: 'app',
          deviceId: 'dev',
          type: 'uplink_message',
          receivedAt: new Date(1_700_000_000_000 + seq).toISOString(),
          message,
          correlationIds: [`as:up:${seq++}`],
        })),
      );
      await sleep(40);
    }
    const wal = walBytes();
    console.log(`WAL after ~30 MB of history: ${(wal / 1024 / 1024).toFixed(1)} MB`);
    expect(wal).toBeLessThan(10 * 1024 * 1024);
    expect(await history.query({ applicationId: 'app', order: 'asc', limit: 20_000 })).toHaveLength(15_000);
  });

  it('lose nothing across close and reopen', async () => {
    store = await openSqliteDatabase(dir, { checkpointIntervalMs: 20 });
    await historyRows(store.db).insertMany([
      {
        applicationId: 'app',
        deviceId: 'dev',
        type: 'uplink_message',
        receivedAt: '2026-01-01T00:00:00.000Z',
        message: '{}',
        correlationIds: ['as:up:1'],
      },
    ]);
    await store.destroy();
    store = await openSqliteDatabase(dir);
    const rows = await historyRows(store.db).query({ applicationId: 'app', order: 'asc', limit: 10 });
    expect(rows.map((r) => r.message)).toEqual(['{}']);
  });
});
