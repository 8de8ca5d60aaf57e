import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AdminStore, ConsoleSession } from './ports';
import type { Database } from './schema';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The admin account and console sessions. Session IDs are stored hashed, like API key secrets. */
export function adminStore(db: Kysely<Database>): AdminStore {
  return {
    async passwordHash(username: string): Promise<string | undefined> {
      const row = await db
        .selectFrom('admin')
        .select('password_hash')
        .where('username', '=', username)
        .executeTakeFirst();
      return row?.password_hash;
    },

    async setPassword(username: string, hash: string, now: Date): Promise<void> {
      await db
        .insertInto('admin')
        .values({ username, password_hash: hash, created_at: now.toISOString() })
        .onConflict((oc) => oc.column('username').doUpdateSet({ password_hash: hash }))
        .execute();
    },

    async createSession(sessionId: string, session: ConsoleSession, now: Date): Promise<void> {
      await db
        .insertInto('console_sessions')
        .values({ id_hash: sha256(sessionId), ...session, created_at: now.toISOString() })
        .execute();
    },

    async findSession(sessionId: string, now: Date): Promise<ConsoleSession | undefined> {
      return db
        .selectFrom('console_sessions')
        .select(['username', 'csrf_token', 'expires_at'])
        .where('id_hash', '=', sha256(sessionId))
        .where('expires_at', '>', now.toISOString())
        .executeTakeFirst();
    },

    async deleteSession(sessionId: string): Promise<void> {
      await db.deleteFrom('console_sessions').where('id_hash', '=', sha256(sessionId)).execute();
    },

    async deleteSessions(username: string): Promise<void> {
      await db.deleteFrom('console_sessions').where('username', '=', username).execute();
    },

    async deleteExpiredSessions(now: Date): Promise<void> {
      await db.deleteFrom('console_sessions').where('expires_at', '<=', now.toISOString()).execute();
    },
  };
}
