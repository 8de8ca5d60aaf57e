import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from './schema';
import { writeGroups } from './writeGroups';

let dir: string;
let db: Kysely<Database>;
/** A second connection: what it reads is committed. */
let reader: SQLite.Database;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mote-groups-'));
  const file = join(dir, 'x.sqlite');
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.exec('create table t (v text not null)');
  db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  reader = new SQLite(file, { readonly: true });
});
afterEach(async () => {
  reader.close();
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const committed = () =>
  (reader.prepare('select v from t order by rowid').all() as { v: string }[]).map((r) => r.v);

/** Inserts `v`; reports whether it ran inside a transaction (a group) or alone. */
const insert = async (d: Kysely<Database>, v: string) => {
  if (v === 'bad') await sql`insert into t values (null)`.execute(d);
  await sql`insert into t values (${v})`.execute(d);
  return d.isTransaction ? 'grouped' : 'alone';
};

describe('writeGroups', () => {
  it('writes added in one turn commit together, and each resolves once it is readable', async () => {
    const groups = writeGroups(db, insert);
    const seen: string[][] = [];
    const writes = ['a', 'b', 'c'].map((v) =>
      groups.add(v).then((how) => {
        seen.push(committed());
        return how;
      }),
    );
    expect(await Promise.all(writes)).toEqual(['grouped', 'grouped', 'grouped']);
    expect(seen).toEqual([
      ['a', 'b', 'c'],
      ['a', 'b', 'c'],
      ['a', 'b', 'c'],
    ]);
    expect(await groups.add('d')).toBe('alone');
  });

  it('a write that fails fails alone: the others of its group are stored', async () => {
    const groups = writeGroups(db, insert);
    const results = await Promise.allSettled(['a', 'bad', 'c'].map((v) => groups.add(v)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/NOT NULL/);
    expect(committed()).toEqual(['a', 'c']);
  });

  it('keeps the order writes were asked in: a write after `after` does not join the group before it', async () => {
    const groups = writeGroups(db, insert);
    const writes = [
      groups.add('a'),
      groups.after(() => insert(db, 'b')),
      groups.add('c'),
      groups.add('d'),
      groups.after(async () => committed().join('')),
    ];
    expect(await Promise.all(writes)).toEqual(['alone', 'alone', 'grouped', 'grouped', 'abcd']);
  });

  it('commits one group per turn of the event loop, so a burst past a group does not hold the loop', async () => {
    const groups = writeGroups(db, insert);
    // Counts the turns of the event loop as they pass.
    let turn = 0;
    let counting = true;
    const count = () => {
      turn++;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    const turnOfCommit = await Promise.all(
      Array.from({ length: 130 }, (_, i) => groups.add(`w${i}`).then(() => turn)),
    );
    counting = false;
    // 130 writes in one turn are three groups (64, 64, 2), each committed in a turn of its own.
    const writesPerTurn = [...new Set(turnOfCommit)].map((t) => turnOfCommit.filter((x) => x === t).length);
    expect(writesPerTurn).toEqual([64, 64, 2]);
    expect(committed()).toHaveLength(130);
  });
});
