/**
 * The history tables: every published ApplicationUp as it went out (docs/behaviour.md §6
 * storage and `events/related`), with its correlation IDs in an indexed side table. Rows arrive
 * in batches from the write-behind log (historyLog.ts) and from units of work (kysely.ts).
 */
import { type Kysely, sql } from 'kysely';
import { bulkInserter } from './bulkInsert';
import type { Dialect } from './migrations';
import type {
  HistoryFilter,
  HistoryQuery,
  HistoryRecord,
  HistoryStore,
  RelatedOptions,
  StoredUp,
} from './ports';
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

export type HistoryRows = Omit<HistoryStore, 'append' | 'flush' | 'newestUplinks'> & {
  insertMany(records: readonly HistoryRecord[]): Promise<void>;
};

/** The key of the history's PostgreSQL advisory lock ("HIST" in ASCII). */
const HISTORY_LOCK = 0x48495354;

/** Rows per page of `pages`: small enough to hold, large enough that a page costs one seek. */
const PAGE_ROWS = 500;
/**
 * … and about this much message text per page: 500 messages with 30 KB decoded payloads were
 * 15 MB held per reader (issue 17 item 3). The first page, before any size is known, is small.
 */
const PAGE_CHARS = 4 * 1024 * 1024;
const FIRST_PAGE_ROWS = 50;

/** The next page's row count, from the mean message length of the last one. */
function nextPageRows(rows: readonly { message: string }[]): number {
  const chars = rows.reduce((n, r) => n + r.message.length, 0);
  const mean = Math.max(1, chars / Math.max(1, rows.length));
  return Math.max(1, Math.min(PAGE_ROWS, Math.floor(PAGE_CHARS / mean)));
}

/** An uplink's FPort from the stored JSON; proto-JSON omits a zero. */
const fPortOf = (dialect: Dialect) =>
  dialect === 'postgres'
    ? sql<number>`coalesce((message::jsonb #>> '{uplink_message,f_port}')::int, 0)`
    : sql<number>`coalesce(json_extract(message, '$.uplink_message.f_port'), 0)`;

function matching(db: Kysely<Database>, dialect: Dialect, f: HistoryFilter) {
  let sel = db.selectFrom('history').where('application_id', '=', f.applicationId);
  if (f.deviceId !== undefined) sel = sel.where('device_id', '=', f.deviceId);
  if (f.type !== undefined) sel = sel.where('type', '=', f.type);
  if (f.after !== undefined) sel = sel.where('received_at', '>', f.after);
  if (f.before !== undefined) sel = sel.where('received_at', '<', f.before);
  if (f.fPort !== undefined)
    sel = sel.where('type', '=', 'uplink_message').where(fPortOf(dialect), '=', f.fPort);
  return sel;
}

export function historyRows(db: Kysely<Database>, dialect: Dialect = 'sqlite'): HistoryRows {
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

  /**
   * Messages carrying a correlation ID, oldest first, a page at a time (keyset on `seq`). With
   * `prefix`, IDs starting with it (the console's filter as the user types one in): a range on
   * the `(correlation_id, history_seq)` index, checked exactly by `substr`; a message matched
   * through two of its IDs comes once.
   */
  async function* relatedPages(correlationId: string, options: RelatedOptions): AsyncGenerator<StoredUp[]> {
    let left = options.limit;
    let after = 0;
    let pageRows = FIRST_PAGE_ROWS;
    while (left > 0) {
      const size = Math.min(pageRows, left);
      let sel = db
        .selectFrom('history_correlation_ids as c')
        .innerJoin('history as h', 'h.seq', 'c.history_seq')
        .select(['h.seq', 'h.application_id', 'h.device_id', 'h.type', 'h.received_at', 'h.message'])
        .where('h.seq', '>', after);
      if (!options.prefix) sel = sel.where('c.correlation_id', '=', correlationId);
      else {
        sel = sel
          .where('c.correlation_id', '>=', correlationId)
          .where(sql<string>`substr(c.correlation_id, 1, ${[...correlationId].length})`, '=', correlationId);
        // SQLite compares text bytewise, so this bound closes the range; PostgreSQL's collation
        // may not, and there the `substr` check alone decides.
        if (dialect === 'sqlite') sel = sel.where('c.correlation_id', '<', `${correlationId}\u{10FFFF}`);
      }
      if (options.applicationId !== undefined)
        sel = sel.where('h.application_id', '=', options.applicationId);
      const rows = await sel.orderBy('h.seq').limit(size).execute();
      const once = rows.filter((r, i) => i === 0 || rows[i - 1]?.seq !== r.seq);
      if (once.length > 0) yield once.map(toStored);
      if (rows.length < size) return;
      left -= rows.length;
      after = rows.at(-1)?.seq ?? after;
      pageRows = nextPageRows(rows);
    }
  }

  return {
    /**
     * One transaction per batch. `seq` is assigned here (max + 1 …) so correlation rows
     * can name their message without relying on RETURNING order, which SQLite leaves undefined.
     * All history inserts go through here, so the explicit keys never collide — on PostgreSQL,
     * where several instances insert, once each holds the history's advisory lock until it
     * commits (which also keeps `seq` in commit order, as retention expects).
     */
    async insertMany(records: readonly HistoryRecord[]): Promise<void> {
      if (records.length === 0) return;
      await transact(db, async (trx) => {
        if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${HISTORY_LOCK})`.execute(trx);
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
      const rows = await matching(db, dialect, q)
        .select(COLUMNS)
        .orderBy('received_at', q.order)
        .orderBy('seq', q.order)
        .limit(q.limit)
        .execute();
      return rows.map(toStored);
    },

    /**
     * Keyset pages rather than one long `iterate()`: better-sqlite3 holds its one connection for
     * as long as an iterator is open, which would stall every writer behind a slow reader.
     * `received_at >= x` (not a row-value comparison) keeps the index range usable.
     */
    async *pages(q) {
      const asc = q.order === 'asc';
      let left = q.limit ?? Number.POSITIVE_INFINITY;
      let cursor: Row | undefined;
      let pageRows = FIRST_PAGE_ROWS;
      while (left > 0) {
        const size = Math.min(pageRows, left);
        let sel = matching(db, dialect, q).select(COLUMNS);
        if (cursor !== undefined) {
          const { received_at: at, seq } = cursor;
          sel = sel
            .where('received_at', asc ? '>=' : '<=', at)
            .where((eb) => eb.or([eb('received_at', asc ? '>' : '<', at), eb('seq', asc ? '>' : '<', seq)]));
        }
        const rows = await sel.orderBy('received_at', q.order).orderBy('seq', q.order).limit(size).execute();
        if (rows.length > 0) yield rows.map(toStored);
        if (rows.length < size) return;
        left -= rows.length;
        cursor = rows.at(-1);
        pageRows = nextPageRows(rows);
      }
    },

    async count(f: HistoryFilter): Promise<Record<string, number>> {
      const rows = await matching(db, dialect, f)
        .select((eb) => ['device_id', eb.fn.countAll<number | string>().as('n')])
        .groupBy('device_id')
        .orderBy('device_id')
        .execute();
      return Object.fromEntries(rows.map((r) => [r.device_id, Number(r.n)]));
    },

    relatedPages,

    /** Messages carrying a correlation ID, oldest first; `applicationId` limits it to one app. */
    async related(correlationId, options) {
      const all: StoredUp[] = [];
      for await (const page of relatedPages(correlationId, options)) all.push(...page);
      return all;
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
