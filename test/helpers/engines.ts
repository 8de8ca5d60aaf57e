/**
 * The store's two engines for suites that run once on each (docs/DESIGN.md: shared suites for
 * interchangeable implementations): a SQLite file in a temporary directory, or a fresh database
 * in the run's PostgreSQL cluster (test/global-setup.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
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
  /** Rows of a plain SQL query read beside the store (what it wrote, not what it answers). */
  rows(text: string): Promise<Record<string, unknown>[]>;
  dispose(): void;
}

let database: Promise<string> | undefined;

/**
 * The suite's PostgreSQL database, emptied: a CREATE DATABASE and its migrations cost about a
 * second on a busy machine, a TRUNCATE of every table a few milliseconds. The schema (and its
 * record of migrations) stays.
 */
async function emptiedDatabase(): Promise<string> {
  database ??= suiteDatabase();
  const url = await database;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ tablename: string }>(
      "select tablename from pg_tables where schemaname = 'public' and tablename <> 'mote_migrations'",
    );
    if (rows.length > 0)
      await client.query(
        `truncate ${rows.map((r) => `"${r.tablename}"`).join(', ')} restart identity cascade`,
      );
  } finally {
    await client.end();
  }
  return url;
}

export async function storePlace(engine: EngineName): Promise<StorePlace> {
  if (engine === 'postgres') {
    const url = await emptiedDatabase();
    return {
      engine,
      where: url,
      open: (o) => openPostgresStore(url, { ...o, poolSize: 4 }),
      async rows(text) {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          return (await client.query(text)).rows as Record<string, unknown>[];
        } finally {
          await client.end();
        }
      },
      dispose() {},
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'mote-store-'));
  return {
    engine,
    where: dir,
    open: (o) => openSqliteStore(dir, o),
    async rows(text) {
      const raw = new SQLite(join(dir, 'mote.sqlite'), { readonly: true });
      try {
        return raw.prepare(text).all() as Record<string, unknown>[];
      } finally {
        raw.close();
      }
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** For openFixture: the engine's `databaseUrl`, emptied; none for SQLite (the fixture's dir). */
export async function fixtureDatabase(engine: EngineName): Promise<string | undefined> {
  return engine === 'postgres' ? emptiedDatabase() : undefined;
}
