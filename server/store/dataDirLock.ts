/**
 * One instance per SQLite data directory (issue 14): two processes on one file would each keep
 * their own device cache and event bus, and show each other's devices but not their traffic. The
 * claim is SQLite's own file lock on `<dataDir>/instance.lock`, held in exclusive locking mode for
 * the life of the process: the kernel lets it go when the process ends however it ends, so a
 * crash leaves nothing stale to clean up (a PID file would).
 */
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { dataDirInUse } from './errors';
import { privateDir, privateSqliteFiles } from './privateFiles';

export interface DataDirClaim {
  release(): void;
}

export function claimDataDir(dataDir: string): DataDirClaim {
  privateDir(dataDir);
  const file = join(dataDir, 'instance.lock');
  privateSqliteFiles(file);
  // No busy wait: a held lock is another instance, not a moment's contention.
  const lock = new SQLite(file, { timeout: 0 });
  try {
    lock.pragma('locking_mode = EXCLUSIVE');
    // The first write takes the exclusive lock; in this mode it is kept until the connection ends.
    lock.exec('BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS claim (at TEXT); DELETE FROM claim; COMMIT;');
  } catch (e) {
    lock.close();
    if ((e as { code?: string }).code === 'SQLITE_BUSY') throw dataDirInUse({ data_dir: dataDir });
    throw e;
  }
  return { release: () => lock.close() };
}
