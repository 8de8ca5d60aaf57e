import type { Kysely } from 'kysely';
import { deviceAlreadyExists, notFoundDevice } from './errors';
import type { Dialect } from './migrations';
import type { DeviceStore, EndDevice, EndDeviceFields } from './ports';
import type { Database } from './schema';
import { settingsWithKey } from './settings';

const COLUMNS = [
  'application_id',
  'device_id',
  'name',
  'description',
  'dev_eui',
  'join_eui',
  'dev_addr',
  'last_seen_at',
  'created_at',
  'updated_at',
] as const;

export function deviceStore(db: Kysely<Database>, dialect: Dialect = 'sqlite'): DeviceStore {
  return {
    async create(
      applicationId: string,
      deviceId: string,
      fields: EndDeviceFields,
      now: Date,
    ): Promise<EndDevice> {
      const at = now.toISOString();
      const row: EndDevice = {
        application_id: applicationId,
        device_id: deviceId,
        name: fields.name ?? '',
        description: fields.description ?? '',
        dev_eui: fields.dev_eui ?? null,
        join_eui: fields.join_eui ?? null,
        dev_addr: fields.dev_addr ?? null,
        last_seen_at: null,
        created_at: at,
        updated_at: at,
      };
      const inserted = await db
        .insertInto('end_devices')
        .values({ ...row, session: '{}', settings: '{}' })
        .onConflict((oc) => oc.columns(['application_id', 'device_id']).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
        throw deviceAlreadyExists({ application_id: applicationId, device_id: deviceId });
      }
      return row;
    },

    async find(applicationId: string, deviceId: string): Promise<EndDevice | undefined> {
      return db
        .selectFrom('end_devices')
        .select(COLUMNS)
        .where('application_id', '=', applicationId)
        .where('device_id', '=', deviceId)
        .executeTakeFirst();
    },

    async get(applicationId: string, deviceId: string): Promise<EndDevice> {
      const row = await this.find(applicationId, deviceId);
      if (!row) throw notFoundDevice({ application_id: applicationId, device_id: deviceId });
      return row;
    },

    list(applicationId: string): Promise<EndDevice[]> {
      return db
        .selectFrom('end_devices')
        .select(COLUMNS)
        .where('application_id', '=', applicationId)
        .orderBy('device_id')
        .execute();
    },

    async update(
      applicationId: string,
      deviceId: string,
      fields: EndDeviceFields,
      now: Date,
    ): Promise<EndDevice> {
      const set: Partial<EndDevice> = { updated_at: now.toISOString() };
      for (const k of ['name', 'description', 'dev_eui', 'join_eui', 'dev_addr'] as const) {
        if (fields[k] !== undefined) set[k] = fields[k] as never;
      }
      const r = await db
        .updateTable('end_devices')
        .set(set)
        .where('application_id', '=', applicationId)
        .where('device_id', '=', deviceId)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0)
        throw notFoundDevice({ application_id: applicationId, device_id: deviceId });
      return this.get(applicationId, deviceId);
    },

    async delete(applicationId: string, deviceId: string): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const r = await trx
          .deleteFrom('end_devices')
          .where('application_id', '=', applicationId)
          .where('device_id', '=', deviceId)
          .executeTakeFirst();
        if (Number(r.numDeletedRows) === 0)
          throw notFoundDevice({ application_id: applicationId, device_id: deviceId });
        await trx
          .deleteFrom('downlink_queue')
          .where('application_id', '=', applicationId)
          .where('device_id', '=', deviceId)
          .execute();
      });
    },

    /** The AS core's and simulator's own per-device state (JSON), kept beside the device. */
    async getSession<T>(applicationId: string, deviceId: string): Promise<T | undefined> {
      const row = await db
        .selectFrom('end_devices')
        .select('session')
        .where('application_id', '=', applicationId)
        .where('device_id', '=', deviceId)
        .executeTakeFirst();
      return row ? (JSON.parse(row.session) as T) : undefined;
    },

    async setSession(
      applicationId: string,
      deviceId: string,
      session: unknown,
      fields: Pick<EndDeviceFields, 'dev_addr'> & { last_seen_at?: string } = {},
    ): Promise<void> {
      await db
        .updateTable('end_devices')
        .set({ session: JSON.stringify(session), ...fields })
        .where('application_id', '=', applicationId)
        .where('device_id', '=', deviceId)
        .execute();
    },

    async getSettings<T>(applicationId: string, deviceId: string): Promise<T | undefined> {
      const row = await db
        .selectFrom('end_devices')
        .select('settings')
        .where('application_id', '=', applicationId)
        .where('device_id', '=', deviceId)
        .executeTakeFirst();
      return row ? (JSON.parse(row.settings) as T) : undefined;
    },

    /** Sets one feature's key in `settings` (see settings.ts); undefined removes it. */
    async setSetting(applicationId: string, deviceId: string, key: string, value: unknown): Promise<void> {
      await db
        .updateTable('end_devices')
        .set({ settings: settingsWithKey(dialect, key, value) })
        .where('application_id', '=', applicationId)
        .where('device_id', '=', deviceId)
        .execute();
    },
  };
}
