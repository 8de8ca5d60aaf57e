import type { Kysely } from 'kysely';
import type { Right } from '../../lib/rights';
import { notFoundApiKey } from './errors';
import type { ApiKeyRecord, ApiKeyStore, ApiKeyWithHash } from './ports';
import type { Database } from './schema';

type Row = Database['api_keys'];

const toRecord = ({ secret_hash: _, ...row }: Row): ApiKeyRecord => ({
  ...row,
  rights: JSON.parse(row.rights) as Right[],
});

export function apiKeyStore(db: Kysely<Database>): ApiKeyStore {
  return {
    async insert(key: ApiKeyWithHash): Promise<void> {
      await db
        .insertInto('api_keys')
        .values({ ...key, rights: JSON.stringify(key.rights) })
        .execute();
    },

    /** For authentication: the key with its hash, looked up by ID alone. */
    async findWithHash(id: string): Promise<ApiKeyWithHash | undefined> {
      const row = await db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? { ...toRecord(row), secret_hash: row.secret_hash } : undefined;
    },

    async get(applicationId: string, id: string): Promise<ApiKeyRecord> {
      const row = await db
        .selectFrom('api_keys')
        .selectAll()
        .where('application_id', '=', applicationId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (!row) throw notFoundApiKey({ application_id: applicationId, key_id: id });
      return toRecord(row);
    },

    async list(applicationId: string): Promise<ApiKeyRecord[]> {
      const rows = await db
        .selectFrom('api_keys')
        .selectAll()
        .where('application_id', '=', applicationId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toRecord);
    },

    async update(
      applicationId: string,
      id: string,
      fields: { name?: string; rights?: Right[]; expires_at?: string | null },
      now: Date,
    ): Promise<ApiKeyRecord> {
      const set: Partial<Row> = { updated_at: now.toISOString() };
      if (fields.name !== undefined) set.name = fields.name;
      if (fields.rights !== undefined) set.rights = JSON.stringify(fields.rights);
      if (fields.expires_at !== undefined) set.expires_at = fields.expires_at;
      const r = await db
        .updateTable('api_keys')
        .set(set)
        .where('application_id', '=', applicationId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) throw notFoundApiKey({ application_id: applicationId, key_id: id });
      return this.get(applicationId, id);
    },

    async delete(applicationId: string, id: string): Promise<void> {
      const r = await db
        .deleteFrom('api_keys')
        .where('application_id', '=', applicationId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (Number(r.numDeletedRows) === 0) throw notFoundApiKey({ application_id: applicationId, key_id: id });
    },

    /** Keys whose expiry lies in (after, until]: the revocation watcher closes their sessions. */
    async expiringBetween(after: Date, until: Date): Promise<string[]> {
      const rows = await db
        .selectFrom('api_keys')
        .select('id')
        .where('expires_at', '>', after.toISOString())
        .where('expires_at', '<=', until.toISOString())
        .execute();
      return rows.map((r) => r.id);
    },
  };
}
