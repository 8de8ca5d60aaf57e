import type { Kysely } from 'kysely';
import type { Database } from './schema';

/**
 * Runs `fn` in a transaction of its own, or in the caller's when `db` already is one: a store
 * verb keeps its all-or-nothing meaning alone and can also be one step of a larger unit (the
 * downlink lifecycle), which SQLite cannot nest.
 */
export function transact<T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}
