import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type { Dialect } from './migrations';
import type { Database } from './schema';

type Db = Kysely<Database> | Transaction<Database>;
export type Value = string | number | null;

/** Rows per statement, as bulkInsert.ts: a chunk of 256 and a power-of-two tail, nine shapes. */
const MAX_ROWS = 256;

export interface BulkUpdate<T extends keyof Database & string> {
  table: T;
  /** Columns that find the row (its key), then the columns set: each row's values in this order. */
  match: readonly (keyof Database[T] & string)[];
  set: readonly (keyof Database[T] & string)[];
  /** Of `set`, the columns a null value leaves as they are (`coalesce(new, old)`). */
  keepWhenNull?: readonly (keyof Database[T] & string)[];
  /**
   * A further condition on the row, as SQL over `row(column)` (the stored row) and
   * `value(column)` (the incoming one): the row is updated only where it holds.
   */
  where?: (row: (c: string) => string, value: (c: string) => string) => string;
  /**
   * PostgreSQL types of the columns that are not text (`integer`, …). PostgreSQL takes an
   * untyped parameter in a VALUES list for text, and would refuse to set an integer from it.
   */
  types?: Partial<Record<keyof Database[T] & string, string>>;
}

/**
 * Multi-row UPDATEs: one statement per chunk, the new values joined in from a VALUES list
 * (`UPDATE … FROM (VALUES …)`, SQLite ≥ 3.33 and PostgreSQL; a VALUES list's columns are named
 * column1, column2, … on both). At thousands of uplinks/s the FCnt and last-seen writes were one
 * Kysely round trip per row — promise chains and a statement step each — more than the rows
 * themselves cost. Answers the key of every row it updated (`RETURNING`), so a caller can tell
 * which of its rows matched. Every row's key must be distinct within one call.
 */
export function bulkUpdater<T extends keyof Database & string>(spec: BulkUpdate<T>) {
  const columns = [...spec.match, ...spec.set];
  const quote = (c: string) => `"${c}"`;
  const row = (c: string) => `${quote(spec.table)}.${quote(c)}`;
  const value = (c: string) => {
    const i = columns.indexOf(c as (typeof columns)[number]);
    if (i === -1) throw new Error(`bulkUpdater: ${c} is not a column of the update`);
    return `v.column${i + 1}`;
  };
  const assigned = (c: string) =>
    spec.keepWhenNull?.includes(c as (typeof columns)[number])
      ? `coalesce(${value(c)}, ${row(c)})`
      : value(c);
  // PostgreSQL numbers its parameters ($1, $2 …) and needs each VALUES column typed.
  const rowOfValues = (dialect: Dialect, first: number) =>
    dialect === 'postgres'
      ? `(${columns.map((c, i) => `$${first + i}::${spec.types?.[c] ?? 'text'}`).join(', ')})`
      : `(${columns.map(() => '?').join(', ')})`;
  const conditions = [
    ...spec.match.map((c) => `${row(c)} = ${value(c)}`),
    ...(spec.where ? [spec.where(row, value)] : []),
  ].join(' AND ');
  const sqlByRows = new Map<string, string>();
  const sqlFor = (dialect: Dialect, rows: number) => {
    const key = `${dialect}:${rows}`;
    let text = sqlByRows.get(key);
    if (text === undefined) {
      const list = Array.from({ length: rows }, (_, r) => rowOfValues(dialect, r * columns.length + 1));
      text =
        `UPDATE ${quote(spec.table)} SET ${spec.set.map((c) => `${quote(c)} = ${assigned(c)}`).join(', ')}` +
        ` FROM (VALUES ${list.join(', ')}) AS v` +
        ` WHERE ${conditions}` +
        ` RETURNING ${spec.match.map(row).join(', ')}`;
      sqlByRows.set(key, text);
    }
    return text;
  };

  /** `values` holds the rows one after another, each in match-then-set order. */
  return async (db: Db, dialect: Dialect, values: readonly Value[]): Promise<Record<string, Value>[]> => {
    const width = columns.length;
    const updated: Record<string, Value>[] = [];
    let at = 0;
    let left = values.length / width;
    while (left > 0) {
      const rows = left >= MAX_ROWS ? MAX_ROWS : 2 ** Math.floor(Math.log2(left));
      const r = await db.executeQuery<Record<string, Value>>(
        CompiledQuery.raw(sqlFor(dialect, rows), values.slice(at, at + rows * width) as Value[]),
      );
      for (const u of r.rows) updated.push(u);
      at += rows * width;
      left -= rows;
    }
    return updated;
  };
}
