import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { statementCache } from './statementCache';

let dir: string;
let sqlite: SQLite.Database;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mote-stmt-'));
  sqlite = new SQLite(join(dir, 'x.sqlite'));
  sqlite.exec('create table t (n integer)');
  sqlite.exec('insert into t values (1), (2), (3)');
});
afterEach(() => {
  sqlite.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('statementCache', () => {
  it('hands the same statement back for the same SQL, and a fresh one while it is iterating', () => {
    const db = statementCache(sqlite);
    const a = db.prepare('select n from t order by n');
    expect(db.prepare('select n from t order by n')).toBe(a);
    const rows = a.iterate([]);
    rows.next();
    const b = db.prepare('select n from t order by n');
    expect(b).not.toBe(a);
    expect(b.all([])).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect([...rows]).toEqual([{ n: 2 }, { n: 3 }]);
  });

  it('keeps at most `capacity` statements, dropping the least recently used', () => {
    const db = statementCache(sqlite, 2);
    const one = db.prepare('select 1');
    db.prepare('select 2');
    db.prepare('select 1');
    db.prepare('select 3');
    expect(db.prepare('select 1')).toBe(one);
  });

  it('still sees schema changes made after a statement was cached', () => {
    const db = statementCache(sqlite);
    expect(db.prepare('select * from t limit 1').all([])).toEqual([{ n: 1 }]);
    sqlite.exec('alter table t add column m integer default 7');
    expect(db.prepare('select * from t limit 1').all([])).toEqual([{ n: 1, m: 7 }]);
  });
});
