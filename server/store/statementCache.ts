import type SQLite from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/**
 * Kysely's SQLite driver prepares every query anew; preparing was 11 % of the downlink path
 * (`down/push` → queue → `down/queued`) here. The same SQL text gets the same prepared
 * statement back, from a bounded LRU. A statement still iterating (a streamed query) is never
 * handed out twice: that one gets a fresh statement.
 */
export function statementCache(sqlite: SQLite.Database, capacity = 256): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql) {
      const hit = cache.get(sql);
      cache.delete(sql);
      const statement = hit && !hit.busy ? hit : sqlite.prepare(sql);
      cache.set(sql, statement);
      if (cache.size > capacity) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      return statement;
    },
  };
}
