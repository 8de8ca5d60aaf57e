import { type Kysely, sql } from 'kysely';
import { type Dialect, migrations } from './migrations';
import type { Database } from './schema';
import { transact } from './transact';

type Migrations = Kysely<{ mote_migrations: { name: string; applied_at: string } }>;

/**
 * Any 64-bit number all Mote instances agree on: PostgreSQL advisory locks are named by one.
 * ("MOTE" "MIGR" in ASCII.)
 */
export const MIGRATION_LOCK = 0x4d4f5445_4d494752n;

/**
 * A tiny migrator: Kysely's own Migrator needs file-system providers; ours are in code.
 * On PostgreSQL several instances may start at once: all of it runs in one transaction that
 * first takes an advisory lock, so one instance migrates while the others wait, then find
 * every migration applied. (Even `CREATE TABLE IF NOT EXISTS` fails when two sessions race it.)
 * PostgreSQL's DDL is transactional, so a failed migration leaves nothing half-done there either.
 */
export async function migrate(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') {
    await db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK.toString()}::bigint)`.execute(trx);
      await apply(trx, dialect);
    });
    return;
  }
  await apply(db, dialect);
}

async function apply(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  const raw = db as unknown as Migrations;
  await raw.schema
    .createTable('mote_migrations')
    .ifNotExists()
    .addColumn('name', 'varchar(100)', (c) => c.primaryKey())
    .addColumn('applied_at', 'varchar(40)', (c) => c.notNull())
    .execute();
  const applied = new Set(
    (await raw.selectFrom('mote_migrations').select('name').execute()).map((r) => r.name),
  );
  // By name, in code-unit order like a plain sort() of the names.
  const byName = Object.entries(migrations).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [name, migration] of byName) {
    if (applied.has(name)) continue;
    await transact(db, async (trx) => {
      await migration.up(trx as unknown as Kysely<unknown>, dialect);
      await (trx as unknown as Migrations)
        .insertInto('mote_migrations')
        .values({ name, applied_at: new Date().toISOString() })
        .execute();
    });
  }
}
