import { defineError, type MoteError } from '../../lib/errors';

/**
 * PostgreSQL's storage faults as the same typed errors the SQLite store gives (faults.ts): a
 * server that is down, restarting or out of space reaches every frontend as a 503 that says so.
 * The pool drops a broken connection and opens a new one for the next query, so writes succeed
 * again once the server is back, with nothing to restart here.
 */

export const databaseUnavailable = defineError(
  'pkg/mote',
  'storage_unavailable',
  'unavailable',
  'storage failed: the PostgreSQL server could not be reached or lost the connection ({pg_code}); retry',
  { attributes: ['pg_code'] },
);

export const databaseFull = defineError(
  'pkg/mote',
  'storage_full',
  'unavailable',
  'storage is full: the PostgreSQL server is out of disk space or memory ({pg_code}); free some and retry',
  { attributes: ['pg_code'] },
);

/**
 * SQLSTATE classes that mean the server or the link failed, not the query
 * (postgresql.org/docs/15/errcodes-appendix.html): 08 connection exception, 57P operator
 * intervention (shutdown, crash, not yet accepting connections), 58 system error (I/O).
 * Class 53 (insufficient resources) is the disk or memory running out.
 */
const UNAVAILABLE = /^(08|57P|58)/;
const FULL = /^53/;

/** Node's socket errors on connect or mid-query. */
const SOCKET = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

export function pgStorageFault(e: unknown): MoteError | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const { code, severity } = e as { code?: unknown; severity?: unknown };
  if (typeof code === 'string') {
    if (FULL.test(code)) return databaseFull({ pg_code: code });
    if (UNAVAILABLE.test(code) || SOCKET.has(code)) return databaseUnavailable({ pg_code: code });
    return undefined;
  }
  // pg's own errors for a connection that ended ("Connection terminated unexpectedly", "Client
  // has encountered a connection error and is not queryable", a connect timeout) carry neither a
  // SQLSTATE nor `severity`, which every error the server sends has. A programming error
  // (TypeError, RangeError) is not a fault of the storage.
  if (severity === undefined && e instanceof Error && e.constructor === Error)
    return databaseUnavailable({ pg_code: 'connection_lost' });
  return undefined;
}
