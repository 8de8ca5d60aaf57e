import { unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DatabaseConnection, Dialect, Driver, QueryResult, TransactionSettings } from 'kysely';
import { defineError, type MoteError } from '../../lib/errors';
import { ConnectionQueue } from './connectionQueue';

/**
 * Storage faults as typed errors (issue 7): a full disk or a read-only or failing data directory
 * reaches every frontend as a 503 `storage_full` / `storage_read_only` / `storage_unavailable`
 * that says what is wrong, instead of an anonymous internal error. Translated in the driver, so
 * every store module, transaction and migration gets it without knowing SQLite's codes.
 */

export const storageFull = defineError(
  'pkg/mote',
  'storage_full',
  'unavailable',
  'storage is full: no space left on the disk holding the data directory; free some space and retry',
  { attributes: ['sqlite_code', 'errno'] },
);

export const storageReadOnly = defineError(
  'pkg/mote',
  'storage_read_only',
  'unavailable',
  'storage is read-only: the data directory cannot be written; make it writable and retry',
  { attributes: ['sqlite_code', 'errno'] },
);

export const storageUnavailable = defineError(
  'pkg/mote',
  'storage_unavailable',
  'unavailable',
  'storage failed: the data directory could not be read or written ({sqlite_code})',
  { attributes: ['errno'] },
);

/**
 * SQLite result codes that mean the file system failed, not the query (sqlite.org/rescode.html).
 * Matched on the driver's `code` (better-sqlite3's SqliteError) and on Node's `errno` codes,
 * never on an error's message.
 */
const STORAGE_CODES = /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN)/;

const FULL = new Set(['ENOSPC', 'EDQUOT']);
const READ_ONLY = new Set(['EROFS', 'EACCES', 'EPERM']);

/**
 * What is wrong with the data directory, found by writing to it: SQLite's code alone does not
 * say (a disk the kernel turned read-only answers writes with EIO-like errors while its mount
 * flags still say read-write, so neither statfs nor access() can tell).
 */
function probeWrite(dataDir: string): string | undefined {
  const probe = join(dataDir, '.mote-write-probe');
  try {
    writeFileSync(probe, 'x');
    unlinkSync(probe);
    return undefined;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? 'EIO';
  }
}

function diagnose(dataDir: string, code: string): MoteError {
  const errno = code === 'SQLITE_FULL' ? 'ENOSPC' : probeWrite(dataDir);
  if (errno && FULL.has(errno)) {
    return storageFull({ sqlite_code: code, errno });
  }
  if (errno && READ_ONLY.has(errno)) {
    return storageReadOnly({ sqlite_code: code, errno });
  }
  return storageUnavailable({ sqlite_code: code, errno });
}

export function storageFault(e: unknown, dataDir: string): MoteError | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && STORAGE_CODES.test(code) ? diagnose(dataDir, code) : undefined;
}

export interface FaultOptions {
  /** The storage fault `e` is, as a typed error; undefined when it is the query's own error. */
  translate(e: unknown): MoteError | undefined;
  /**
   * Whether a transaction is still open. SQLite rolls a transaction back by itself after some
   * faults (SQLITE_FULL, SQLITE_IOERR); a second ROLLBACK would then fail with "no transaction
   * is active" and hide the real error from the caller.
   */
  inTransaction(): boolean;
  /**
   * The dialect has a single connection (SQLite): callers get it in arrival order through a
   * ConnectionQueue rather than racing for the driver's own mutex.
   */
  singleConnection?: boolean;
}

/** `dialect` with storage faults translated and a self-rolled-back transaction left alone. */
export function withStorageFaults(dialect: Dialect, options: FaultOptions): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createDriver: () => new FaultTranslatingDriver(dialect.createDriver(), options),
  };
}

class FaultTranslatingDriver implements Driver {
  readonly #inner: Driver;
  readonly #options: FaultOptions;
  readonly #connections = new WeakMap<DatabaseConnection, DatabaseConnection>();
  readonly #queue: ConnectionQueue | undefined;

  constructor(inner: Driver, options: FaultOptions) {
    this.#inner = inner;
    this.#options = options;
    this.#queue = options.singleConnection ? new ConnectionQueue() : undefined;
  }

  async #guard<T>(work: () => Promise<T> | T): Promise<T> {
    try {
      return await work();
    } catch (e) {
      throw this.#options.translate(e) ?? e;
    }
  }

  #unwrap(connection: DatabaseConnection): DatabaseConnection {
    return this.#connections.get(connection) ?? connection;
  }

  init(): Promise<void> {
    return this.#guard(() => this.#inner.init());
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#queue?.acquire();
    let inner: DatabaseConnection;
    try {
      inner = await this.#guard(() => this.#inner.acquireConnection());
    } catch (e) {
      this.#queue?.release();
      throw e;
    }
    const guard = <T>(work: () => Promise<T> | T) => this.#guard(work);
    const translate = this.#options.translate;
    const wrapped: DatabaseConnection = {
      executeQuery: <R>(query: Parameters<DatabaseConnection['executeQuery']>[0]): Promise<QueryResult<R>> =>
        guard(() => inner.executeQuery<R>(query)),
      async *streamQuery<R>(query: Parameters<DatabaseConnection['streamQuery']>[0], chunkSize?: number) {
        try {
          yield* inner.streamQuery<R>(query, chunkSize);
        } catch (e) {
          throw translate(e) ?? e;
        }
      },
    };
    this.#connections.set(wrapped, inner);
    return wrapped;
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.#guard(() => this.#inner.beginTransaction(this.#unwrap(connection), settings));
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#guard(() => this.#inner.commitTransaction(this.#unwrap(connection)));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (!this.#options.inTransaction()) return;
    await this.#guard(() => this.#inner.rollbackTransaction(this.#unwrap(connection)));
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    try {
      await this.#inner.releaseConnection(this.#unwrap(connection));
    } finally {
      this.#queue?.release();
    }
  }

  destroy(): Promise<void> {
    return this.#inner.destroy();
  }
}
