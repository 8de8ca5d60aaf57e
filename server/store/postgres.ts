import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import { withStorageFaults } from './faults';
import { checkKek } from './kekCheck';
import { keyVault } from './keyVault';
import { type KyselyStoreOptions, kyselyStore } from './kysely';
import { migrate } from './migrate';
import { pgStorageFault } from './pgFaults';
import type { Store } from './ports';
import type { Database } from './schema';

export interface PostgresOptions {
  log: Logger;
  /** The history write-behind (historyLog.ts). */
  history?: KyselyStoreOptions['history'];
  /** The key-encryption key for device keys: every instance on one database needs the same. */
  kek: Buffer;
  clock?: Clock;
  /** Connections in the pool (10). */
  poolSize?: number;
}

/** PostgreSQL's type OIDs whose text pg would hand over as strings: counts and sums. */
const INT8 = 20;
const NUMERIC = 1700;

/**
 * int8 as a number, as SQLite's integers arrive: `count(*)` is int8, and every count here is far
 * below 2^53. Per pool, not pg's global type table, which other code in the process may set.
 */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8 || oid === NUMERIC) return (text: string) => Number(text);
    return pg.types.getTypeParser(oid, format);
  },
};

/** Opens the PostgreSQL store at `url` (`postgres://user:pass@host:5432/mote`) and migrates it. */
export async function openPostgresStore(url: string, options: PostgresOptions): Promise<Store> {
  const vault = keyVault(options.kek);
  const { db, destroy } = await openPostgresDatabase(url, {
    log: options.log,
    poolSize: options.poolSize,
    verify: (db) => checkKek(db, vault),
  });
  return kyselyStore(db, 'postgres', {
    log: options.log,
    history: options.history,
    destroy,
    vault,
    clock: options.clock,
  });
}

/** The database under the store, for the store's own tests: Kysely stays in server/store/. */
export async function openPostgresDatabase(
  url: string,
  options: Pick<PostgresOptions, 'log' | 'poolSize'> & {
    verify?: (db: Kysely<Database>) => Promise<void>;
  },
): Promise<{ db: Kysely<Database>; destroy(): Promise<void> }> {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, types });
  // An idle connection the server drops (a restart, an admin's pg_terminate_backend) is reported
  // on the pool; unheard, that 'error' event would end the process. The pool has already
  // discarded the connection and opens a new one for the next query.
  const log = options.log.child({ component: 'store' });
  pool.on('error', (err) => log.warn({ err }, 'PostgreSQL connection lost; reconnecting on next use'));
  // A connection that ends while checked out (the server stopping under a running query) emits
  // 'error' on the client itself, where the pool listens only while it is idle: the query has
  // already failed with that error, and the pool discards the client on release.
  pool.on('connect', (client) => client.on('error', () => {}));
  const dialect = withStorageFaults(new PostgresDialect({ pool }), {
    translate: pgStorageFault,
    // PostgreSQL keeps a failed transaction open until ROLLBACK: always send it.
    inTransaction: () => true,
  });
  const db = new Kysely<Database>({ dialect });
  try {
    await migrate(db, 'postgres');
    await options.verify?.(db);
  } catch (e) {
    await db.destroy();
    throw e;
  }
  return { db, destroy: () => db.destroy() };
}
