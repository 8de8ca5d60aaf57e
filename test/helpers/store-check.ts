/**
 * What a crash may have left in Mote's SQLite file, read with a separate read-only connection
 * while the server is down: `PRAGMA integrity_check`, and rows that are not whole (a history
 * message or queue item that is not the JSON it was, a correlation ID pointing at no message).
 * The same rows on PostgreSQL, whose own integrity is the server's (it never saw the kill).
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';

export interface StoreCheck {
  integrity: string;
  historyRows: number;
  queueRows: number;
  /** Rows that do not parse, or whose body is not their type. */
  tornRows: string[];
  /** Correlation ID rows of no stored message. */
  orphanCorrelationIds: number;
}

type HistoryRow = { seq: number; type: string; message: string };
type QueueRow = { seq: number; downlink: string };
const ORPHANS_SQL =
  'SELECT count(*) AS n FROM history_correlation_ids c LEFT JOIN history h ON h.seq = c.history_seq WHERE h.seq IS NULL';

/** Why a history row is not whole, if it is not: not JSON, or no body of its own type. */
function tornHistory(r: HistoryRow): string | undefined {
  try {
    const up = JSON.parse(r.message) as Record<string, unknown>;
    return typeof up[r.type] !== 'object' || !up.end_device_ids
      ? `history ${r.seq}: no ${r.type} body`
      : undefined;
  } catch {
    return `history ${r.seq}: not JSON`;
  }
}

function tornQueueItem(r: QueueRow): string | undefined {
  try {
    JSON.parse(r.downlink);
    return undefined;
  } catch {
    return `queue ${r.seq}: not JSON`;
  }
}

export function checkStore(dataDir: string): StoreCheck {
  const db = new Database(join(dataDir, 'mote.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const integrity = (db.pragma('integrity_check') as Array<{ integrity_check: string }>)
      .map((r) => r.integrity_check)
      .join('; ');
    const tornRows: string[] = [];
    let historyRows = 0;
    for (const r of db.prepare('SELECT seq, type, message FROM history').iterate() as Iterable<HistoryRow>) {
      historyRows++;
      const torn = tornHistory(r);
      if (torn) tornRows.push(torn);
    }
    let queueRows = 0;
    for (const r of db.prepare('SELECT seq, downlink FROM downlink_queue').iterate() as Iterable<QueueRow>) {
      queueRows++;
      const torn = tornQueueItem(r);
      if (torn) tornRows.push(torn);
    }
    const orphans = db.prepare(ORPHANS_SQL).get() as { n: number };
    return { integrity, historyRows, queueRows, tornRows, orphanCorrelationIds: orphans.n };
  } finally {
    db.close();
  }
}

/** checkStore's row checks on PostgreSQL; `integrity` is "n/a": the server was not killed. */
export async function checkPgStore(url: string): Promise<StoreCheck> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const history = await client.query<HistoryRow>('SELECT seq, type, message FROM history');
    const queue = await client.query<QueueRow>('SELECT seq, downlink FROM downlink_queue');
    const tornRows = [...history.rows.map(tornHistory), ...queue.rows.map(tornQueueItem)].filter(
      (t): t is string => t !== undefined,
    );
    const orphans = await client.query<{ n: string }>(ORPHANS_SQL);
    return {
      integrity: 'n/a',
      historyRows: history.rowCount ?? 0,
      queueRows: queue.rowCount ?? 0,
      tornRows,
      orphanCorrelationIds: Number(orphans.rows[0]?.n ?? 0),
    };
  } finally {
    await client.end();
  }
}
