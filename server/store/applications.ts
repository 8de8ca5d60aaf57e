import type { Kysely } from 'kysely';
import { applicationAlreadyExists, notFoundApplication } from './errors';
import type { NsDeviceWrites } from './nsDeviceCache';
import type { Application, ApplicationFields, ApplicationStore } from './ports';
import type { Database } from './schema';

const COLUMNS = ['application_id', 'name', 'description', 'created_at', 'updated_at'] as const;

/** `ns` hears when an application's devices are deleted (nsDeviceCache.ts). */
export function applicationStore(db: Kysely<Database>, ns: Pick<NsDeviceWrites, 'all'>): ApplicationStore {
  return {
    async create(applicationId: string, fields: ApplicationFields, now: Date): Promise<Application> {
      const at = now.toISOString();
      const row = {
        application_id: applicationId,
        name: fields.name ?? '',
        description: fields.description ?? '',
        settings: '{}',
        created_at: at,
        updated_at: at,
      };
      const inserted = await db
        .insertInto('applications')
        .values(row)
        .onConflict((oc) => oc.column('application_id').doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
        throw applicationAlreadyExists({ application_id: applicationId });
      }
      return {
        application_id: applicationId,
        name: row.name,
        description: row.description,
        created_at: at,
        updated_at: at,
      };
    },

    async get(applicationId: string): Promise<Application> {
      const row = await db
        .selectFrom('applications')
        .select(COLUMNS)
        .where('application_id', '=', applicationId)
        .executeTakeFirst();
      if (!row) throw notFoundApplication({ application_id: applicationId });
      return row;
    },

    async exists(applicationId: string): Promise<boolean> {
      const row = await db
        .selectFrom('applications')
        .select('application_id')
        .where('application_id', '=', applicationId)
        .executeTakeFirst();
      return row !== undefined;
    },

    list(): Promise<Application[]> {
      return db.selectFrom('applications').select(COLUMNS).orderBy('application_id').execute();
    },

    async update(applicationId: string, fields: ApplicationFields, now: Date): Promise<Application> {
      const set: Partial<Application> = { updated_at: now.toISOString() };
      if (fields.name !== undefined) set.name = fields.name;
      if (fields.description !== undefined) set.description = fields.description;
      const r = await db
        .updateTable('applications')
        .set(set)
        .where('application_id', '=', applicationId)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) throw notFoundApplication({ application_id: applicationId });
      return this.get(applicationId);
    },

    /** Deletes the application with its devices, keys, queue and history, in one transaction. */
    async delete(applicationId: string): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const r = await trx
          .deleteFrom('applications')
          .where('application_id', '=', applicationId)
          .executeTakeFirst();
        if (Number(r.numDeletedRows) === 0) throw notFoundApplication({ application_id: applicationId });
        await trx.deleteFrom('end_devices').where('application_id', '=', applicationId).execute();
        await trx.deleteFrom('api_keys').where('application_id', '=', applicationId).execute();
        await trx.deleteFrom('downlink_queue').where('application_id', '=', applicationId).execute();
        await trx
          .deleteFrom('history_correlation_ids')
          .where(
            'history_seq',
            'in',
            trx.selectFrom('history').select('seq').where('application_id', '=', applicationId),
          )
          .execute();
        await trx.deleteFrom('history').where('application_id', '=', applicationId).execute();
      });
      ns.all();
    },
  };
}
