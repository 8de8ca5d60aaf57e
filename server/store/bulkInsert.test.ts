import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bulkInserter } from './bulkInsert';
import { openSqliteDatabase } from './db';

let dir: string;
let store: Awaited<ReturnType<typeof openSqliteDatabase>>;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mote-bulk-'));
  store = await openSqliteDatabase(dir);
});
afterEach(async () => {
  await store.destroy();
  rmSync(dir, { recursive: true, force: true });
});

describe('bulkInserter', () => {
  it.each([0, 1, 3, 255, 256, 257, 700])('writes %i rows, each once, values in their columns', async (n) => {
    const insert = bulkInserter('history_correlation_ids', ['history_seq', 'correlation_id']);
    const values = Array.from({ length: n }, (_, i) => [i + 1, `cid-${i + 1}`]).flat();
    await insert(store.db, values);
    const rows = await store.db
      .selectFrom('history_correlation_ids')
      .selectAll()
      .orderBy('history_seq')
      .execute();
    expect(rows).toEqual(
      Array.from({ length: n }, (_, i) => ({ history_seq: i + 1, correlation_id: `cid-${i + 1}` })),
    );
  });

  it('is all-or-nothing inside a transaction', async () => {
    const insert = bulkInserter('history_correlation_ids', ['history_seq', 'correlation_id']);
    await expect(
      store.db.transaction().execute(async (trx) => {
        await insert(trx, [1, 'a', 2, 'b']);
        // NOT NULL: the second statement fails, and the first is rolled back with it.
        await insert(trx, [3, null]);
      }),
    ).rejects.toThrow();
    expect(await store.db.selectFrom('history_correlation_ids').selectAll().execute()).toEqual([]);
  });
});
