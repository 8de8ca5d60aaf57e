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

export function checkStore(dataDir: string): StoreCheck {
  const db = new Database(join(dataDir, 'mote.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const integrity = (db.pragma('integrity_check') as Array<{ integrity_check: string }>)
      .map((r) => r.integrity_check)
      .join('; ');
    const tornRows: string[] = [];
    let historyRows = 0;
    for (const r of db.prepare('SELECT seq, type, message FROM history').iterate() as Iterable<{
      seq: number;
      type: string;
      message: string;
    }>) {
      historyRows++;
      try {
        const up = JSON.parse(r.message) as Record<string, unknown>;
        if (typeof up[r.type] !== 'object' || !up.end_device_ids)
          tornRows.push(`history ${r.seq}: no ${r.type} body`);
      } catch {
        tornRows.push(`history ${r.seq}: not JSON`);
      }
    }
    let queueRows = 0;
    for (const r of db.prepare('SELECT seq, downlink FROM downlink_queue').iterate() as Iterable<{
      seq: number;
      downlink: string;
    }>) {
      queueRows++;
      try {
        JSON.parse(r.downlink);
      } catch {
        tornRows.push(`queue ${r.seq}: not JSON`);
      }
    }
    const orphans = db
      .prepare(
        'SELECT count(*) AS n FROM history_correlation_ids c LEFT JOIN history h ON h.seq = c.history_seq WHERE h.seq IS NULL',
      )
      .get() as { n: number };
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
    const tornRows: string[] = [];
    const history = await client.query<{ seq: number; type: string; message: string }>(
      'SELECT seq, type, message FROM history',
    );
    for (const r of history.rows) {
      try {
        const up = JSON.parse(r.message) as Record<string, unknown>;
        if (typeof up[r.type] !== 'object' || !up.end_device_ids)
          tornRows.push(`history ${r.seq}: no ${r.type} body`);
      } catch {
        tornRows.push(`history ${r.seq}: not JSON`);
      }
    }
    const queue = await client.query<{ seq: number; downlink: string }>(
      'SELECT seq, downlink FROM downlink_queue',
    );
    for (const r of queue.rows) {
      try {
        JSON.parse(r.downlink);
      } catch {
        tornRows.push(`queue ${r.seq}: not JSON`);
      }
    }
    const orphans = await client.query<{ n: string }>(
      'SELECT count(*) AS n FROM history_correlation_ids c LEFT JOIN history h ON h.seq = c.history_seq WHERE h.seq IS NULL',
    );
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
