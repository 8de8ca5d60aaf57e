/**
 * The store's two engines for suites that run once on each (docs/DESIGN.md: shared suites for
 * interchangeable implementations): a SQLite file in a temporary directory, or a fresh database
 * in the run's PostgreSQL cluster (test/global-setup.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore, type SqliteOptions } from '../../server/store/db';
import type { Store } from '../../server/store/ports';
import { openPostgresStore } from '../../server/store/postgres';
import { suiteDatabase } from './postgres';

export type EngineName = 'sqlite' | 'postgres';
export const ENGINES: readonly EngineName[] = ['sqlite', 'postgres'];

export type OpenOptions = Pick<SqliteOptions, 'log' | 'kek' | 'clock' | 'history'>;

/** One place to keep a store: `open` opens the same place each time (a reopen sees what was stored). */
export interface StorePlace {
  engine: EngineName;
  open(options: OpenOptions): Promise<Store>;
  /** The SQLite store's data directory, or PostgreSQL's DATABASE_URL. */
  where: string;
  dispose(): void;
}

export async function storePlace(engine: EngineName): Promise<StorePlace> {
  if (engine === 'postgres') {
    const url = await suiteDatabase();
    return { engine, where: url, open: (o) => openPostgresStore(url, { ...o, poolSize: 4 }), dispose() {} };
  }
  const dir = mkdtempSync(join(tmpdir(), 'mote-store-'));
  return {
    engine,
    where: dir,
    open: (o) => openSqliteStore(dir, o),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
