import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import { BACKSTOP_AUTOCHECKPOINT_PAGES, startCheckpointer } from './checkpoint';
import { storageFault, withStorageFaults } from './faults';
import { checkKek } from './kekCheck';
import { keyVault } from './keyVault';
import { type KyselyStoreOptions, kyselyStore } from './kysely';
import { migrate } from './migrate';
import type { Store } from './ports';
import { privateDir, privateSqliteFiles } from './privateFiles';
import type { Database } from './schema';
import { statementCache } from './statementCache';

export interface SqliteOptions {
  log: Logger;
  /** How often the checkpoint worker copies the WAL back into the database (checkpoint.ts). */
  checkpointIntervalMs?: number;
  /** The history write-behind (historyLog.ts). */
  history?: KyselyStoreOptions['history'];
  /** The key-encryption key for device keys (32 bytes; kekFile.ts finds it). */
  kek: Buffer;
  /** Stamps gateway rows (the registry's verbs take no time). */
  clock?: Clock;
}

/** Opens the SQLite store in `dataDir` (WAL mode) and brings its schema up to date. */
export async function openSqliteStore(dataDir: string, options: SqliteOptions): Promise<Store> {
  const vault = keyVault(options.kek);
  const { db, file, destroy } = await openSqliteDatabase(dataDir, {
    ...options,
    verify: (db) => checkKek(db, vault),
  });
  return kyselyStore(db, 'sqlite', {
    log: options.log,
    history: options.history,
    file,
    destroy,
    vault,
    clock: options.clock,
  });
}

/** The database under the store, for the store's own tests: Kysely stays in server/store/. */
export async function openSqliteDatabase(
  dataDir: string,
  options: Pick<SqliteOptions, 'checkpointIntervalMs'> & {
    /** Runs after the migrations; a failure closes the database and is thrown. */
    verify?: (db: Kysely<Database>) => Promise<void>;
  } = {},
): Promise<{ db: Kysely<Database>; file: string; destroy(): Promise<void> }> {
  privateDir(dataDir);
  const file = join(dataDir, 'mote.sqlite');
  privateSqliteFiles(file);
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  // NORMAL in WAL mode is durable against process crashes (kill -9); only power loss can
  // drop the last transactions, which is what every WAL user accepts.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_AUTOCHECKPOINT_PAGES}`);
  const dialect = withStorageFaults(new SqliteDialect({ database: statementCache(sqlite) }), {
    translate: (e) => storageFault(e, dataDir),
    inTransaction: () => sqlite.inTransaction,
    singleConnection: true,
  });
  const db = new Kysely<Database>({ dialect });
  await migrate(db, 'sqlite');
  try {
    await options.verify?.(db);
  } catch (e) {
    // Before the checkpoint worker starts: an unref'd worker would let a failing start exit
    // silently while it waited for the worker (server/main.ts must get to print the error).
    await db.destroy();
    throw e;
  }
  const checkpointer = startCheckpointer(file, options.checkpointIntervalMs);
  return {
    db,
    file,
    async destroy() {
      await checkpointer.stop();
      // The last connection to close checkpoints what is left and removes the WAL.
      await db.destroy();
    },
  };
}
