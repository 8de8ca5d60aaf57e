/**
 * The history tables: every published ApplicationUp as it went out (docs/behaviour.md §6
 * storage and `events/related`), with its correlation IDs in an indexed side table. Rows arrive
 * in batches from the write-behind log (historyLog.ts) and from units of work (kysely.ts).
 */
import type { Kysely } from 'kysely';
import { bulkInserter } from './bulkInsert';
import type { HistoryQuery, HistoryRecord, HistoryStore, StoredUp } from './ports';
import type { Database } from './schema';
import { transact } from './transact';

const COLUMNS = ['seq', 'application_id', 'device_id', 'type', 'received_at', 'message'] as const;
type Row = Pick<Database['history'], 'application_id' | 'device_id' | 'type' | 'received_at' | 'message'> & {
  seq: number;
};
const toStored = (r: Row): StoredUp => ({
  seq: r.seq,
  applicationId: r.application_id,
  deviceId: r.device_id,
  type: r.type,
  receivedAt: r.received_at,
  message: r.message,
});

export type HistoryRows = Omit<HistoryStore, 'append' | 'flush'> & {
  insertMany(records: readonly HistoryRecord[]): Promise<void>;
};

export function historyRows(db: Kysely<Database>): HistoryRows {
  // Per store: the compiled SQL is the dialect's.
  const insertHistory = bulkInserter('history', [
    'seq',
    'application_id',
    'device_id',
    'type',
    'received_at',
    'message',
  ]);
  const insertCorrelationIds = bulkInserter('history_correlation_ids', ['history_seq', 'correlation_id']);
  return {
    /**
     * One transaction per batch. `seq` is assigned here (max + 1 …) so correlation rows
     * can name their message without relying on RETURNING order, which SQLite leaves undefined.
     * All history inserts go through here, so the explicit keys never collide.
     */
    async insertMany(records: readonly HistoryRecord[]): Promise<void> {
      if (records.length === 0) return;
      await transact(db, async (trx) => {
        const max = await trx
          .selectFrom('history')
          .select((eb) => eb.fn.max('seq').as('m'))
          .executeTakeFirst();
        const first = Number(max?.m ?? 0) + 1;
        const rows: (string | number)[] = [];
        const ids: (string | number)[] = [];
        records.forEach((r, i) => {
          rows.push(first + i, r.applicationId, r.deviceId, r.type, r.receivedAt, r.message);
          for (const cid of r.correlationIds) ids.push(first + i, cid);
        });
        await insertHistory(trx, rows);
        await insertCorrelationIds(trx, ids);
      });
    },

    async query(q: HistoryQuery): Promise<StoredUp[]> {
      let sel = db.selectFrom('history').select(COLUMNS).where('application_id', '=', q.applicationId);
      if (q.deviceId !== undefined) sel = sel.where('device_id', '=', q.deviceId);
      if (q.type !== undefined) sel = sel.where('type', '=', q.type);
      if (q.after !== undefined) sel = sel.where('received_at', '>', q.after);
      if (q.before !== undefined) sel = sel.where('received_at', '<', q.before);
      const rows = await sel.orderBy('received_at', q.order).orderBy('seq', q.order).limit(q.limit).execute();
      return rows.map(toStored);
    },

    /** Messages carrying a correlation ID, oldest first; `applicationId` limits it to one app. */
    async related(
      correlationId: string,
      options: { applicationId?: string; limit: number },
    ): Promise<StoredUp[]> {
      let sel = db
        .selectFrom('history_correlation_ids as c')
        .innerJoin('history as h', 'h.seq', 'c.history_seq')
        .select(['h.seq', 'h.application_id', 'h.device_id', 'h.type', 'h.received_at', 'h.message'])
        .where('c.correlation_id', '=', correlationId);
      if (options.applicationId !== undefined)
        sel = sel.where('h.application_id', '=', options.applicationId);
      const rows = await sel.orderBy('h.seq').limit(options.limit).execute();
      return rows.map(toStored);
    },

    /**
     * Retention: drops messages received before `olderThan` and all but the newest `maxRows`.
     * `seq` follows arrival, so both cut-offs are a seq boundary: one range delete per table.
     */
    async prune(olderThan: string, maxRows: number): Promise<number> {
      return db.transaction().execute(async (trx) => {
        const firstYoung = await trx
          .selectFrom('history')
          .select('seq')
          .where('received_at', '>=', olderThan)
          .orderBy('seq')
          .limit(1)
          .executeTakeFirst();
        const newest = await trx
          .selectFrom('history')
          .select((eb) => eb.fn.max('seq').as('m'))
          .executeTakeFirst();
        if (newest?.m === null || newest?.m === undefined) return 0;
        const byAge = firstYoung ? firstYoung.seq : Number(newest.m) + 1;
        const byCount = Number(newest.m) - maxRows + 1;
        const boundary = Math.max(byAge, byCount);
        await trx.deleteFrom('history_correlation_ids').where('history_seq', '<', boundary).execute();
        const r = await trx.deleteFrom('history').where('seq', '<', boundary).executeTakeFirst();
        return Number(r.numDeletedRows);
      });
    },
  };
}
