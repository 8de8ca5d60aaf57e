import type { Kysely } from 'kysely';
import { compiledQuery } from './compiled';
import { claimEuis } from './deviceEuis';
import { DEVICE_COLUMNS, KEY_COLUMNS, openKeys, sealedColumns, toEndDevice } from './deviceKeys';
import { devicePages } from './devicePages';
import { deviceAlreadyExists, notFoundDevice } from './errors';
import type { KeyVault } from './keyVault';
import type { Dialect } from './migrations';
import type { NsDeviceWrites } from './nsDeviceCache';
import type { PerDeviceCache } from './perDeviceCache';
import type { DeviceIdentity, DeviceStore, EndDevice, EndDeviceFields, EndDeviceKeys } from './ports';
import type { Database, EndDevicesTable } from './schema';
import { settingsWithKey } from './settings';
import { transact } from './transact';
import { VERSION_COLUMNS, type VersionIdsCache, versionColumns, versionIdsOf } from './versionIds';

/**
 * Built and compiled once (compiled.ts): read on the uplink path whenever a device's cached
 * version IDs are missing or stale, so thousands of devices ask many times a second.
 */
const versionIdsQuery = (db: Kysely<Database>) =>
  compiledQuery<Database, 'app' | 'dev', Record<(typeof VERSION_COLUMNS)[number], string | null>>(
    ['app', 'dev'],
    (p) =>
      db
        .selectFrom('end_devices')
        .select(VERSION_COLUMNS)
        .where('application_id', '=', p.app)
        .where('device_id', '=', p.dev),
  );

/** Built and compiled once (compiled.ts): the device API reads a device per request. */
const deviceQuery = (db: Kysely<Database>) =>
  compiledQuery<Database, 'app' | 'dev', Pick<EndDevicesTable, (typeof DEVICE_COLUMNS)[number]>>(
    ['app', 'dev'],
    (p) =>
      db
        .selectFrom('end_devices')
        .select(DEVICE_COLUMNS)
        .where('application_id', '=', p.app)
        .where('device_id', '=', p.dev),
  );

const IDENTITY_COLUMNS = ['application_id', 'device_id', 'dev_eui', 'join_eui', 'dev_addr'] as const;

/** Built and compiled once: read when a `down/push` finds its device's identity not in memory. */
const identityQuery = (db: Kysely<Database>) =>
  compiledQuery<Database, 'app' | 'dev', DeviceIdentity>(['app', 'dev'], (p) =>
    db
      .selectFrom('end_devices')
      .select(IDENTITY_COLUMNS)
      .where('application_id', '=', p.app)
      .where('device_id', '=', p.dev),
  );

/** The LoRaWAN settings columns of `fields` that are set. */
function settingsColumns(fields: EndDeviceFields) {
  const out: {
    frequency_plan_id?: string;
    lorawan_version?: string;
    lorawan_phy_version?: string;
    supports_join?: number;
  } = {};
  if (fields.frequency_plan_id !== undefined) out.frequency_plan_id = fields.frequency_plan_id;
  if (fields.lorawan_version !== undefined) out.lorawan_version = fields.lorawan_version;
  if (fields.lorawan_phy_version !== undefined) out.lorawan_phy_version = fields.lorawan_phy_version;
  if (fields.supports_join !== undefined) out.supports_join = fields.supports_join ? 1 : 0;
  return out;
}

/** What the device store keeps in memory per device (perDeviceCache.ts). */
export interface DeviceCaches {
  versions: VersionIdsCache;
  identities: PerDeviceCache<DeviceIdentity | undefined>;
}

/**
 * `ns` hears of every write that changes what the network layer sees (nsDeviceCache.ts);
 * `cached` loses a device's entries on every write of it.
 */
export function deviceStore(
  db: Kysely<Database>,
  dialect: Dialect,
  vault: KeyVault,
  ns: NsDeviceWrites,
  cached: DeviceCaches,
): DeviceStore {
  const written = (applicationId: string, deviceId: string) => {
    cached.versions.drop(`${applicationId}/${deviceId}`);
    cached.identities.drop(`${applicationId}/${deviceId}`);
  };
  const versionsOf = versionIdsQuery(db);
  const deviceOf = deviceQuery(db);
  const identityOf = identityQuery(db);
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
        dev_addr: fields.session?.dev_addr ?? fields.dev_addr ?? null,
        last_seen_at: null,
        created_at: at,
        updated_at: at,
        frequency_plan_id: fields.frequency_plan_id ?? null,
        lorawan_version: fields.lorawan_version ?? null,
        lorawan_phy_version: fields.lorawan_phy_version ?? null,
        supports_join: fields.supports_join ?? null,
      };
      const versionIds = versionIdsOf(versionColumns(fields.version_ids));
      if (versionIds) row.version_ids = versionIds;
      const { version_ids: _, ...columns } = row;
      const inserted = await transact(db, async (trx) => {
        await claimEuis(trx, dialect, row);
        return trx
          .insertInto('end_devices')
          .values({
            ...columns,
            ...versionColumns(fields.version_ids),
            supports_join: null,
            ...settingsColumns(fields),
            ...sealedColumns(vault, applicationId, deviceId, fields),
            session: '{}',
            settings: '{}',
          })
          .onConflict((oc) => oc.columns(['application_id', 'device_id']).doNothing())
          .executeTakeFirst();
      });
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
        throw deviceAlreadyExists({ application_id: applicationId, device_id: deviceId });
      }
      ns.device(applicationId, deviceId, row.dev_addr);
      written(applicationId, deviceId);
      return row;
    },

    async find(applicationId: string, deviceId: string): Promise<EndDevice | undefined> {
      const [row] = (await deviceOf(db, { app: applicationId, dev: deviceId })).rows;
      return row && toEndDevice(row);
    },

    async get(applicationId: string, deviceId: string): Promise<EndDevice> {
      const row = await this.find(applicationId, deviceId);
      if (!row) throw notFoundDevice({ application_id: applicationId, device_id: deviceId });
      return row;
    },

    async identity(applicationId: string, deviceId: string): Promise<DeviceIdentity> {
      const key = `${applicationId}/${deviceId}`;
      const found = await cached.identities.get(key, async () => {
        const [row] = (await identityOf(db, { app: applicationId, dev: deviceId })).rows;
        return row && Object.freeze({ ...row });
      });
      if (found) return found;
      // Not kept: a flood of pushes to unknown devices would only push known ones out.
      cached.identities.drop(key);
      throw notFoundDevice({ application_id: applicationId, device_id: deviceId });
    },

    async list(applicationId: string): Promise<EndDevice[]> {
      const rows = await db
        .selectFrom('end_devices')
        .select(DEVICE_COLUMNS)
        .where('application_id', '=', applicationId)
        .orderBy('device_id')
        .execute();
      return rows.map(toEndDevice);
    },

    page: devicePages(db),

    async update(
      applicationId: string,
      deviceId: string,
      fields: EndDeviceFields,
      now: Date,
    ): Promise<EndDevice> {
      const set: {
        name?: string;
        description?: string;
        dev_eui?: string | null;
        join_eui?: string | null;
        dev_addr?: string | null;
      } = {};
      if (fields.name !== undefined) set.name = fields.name;
      if (fields.description !== undefined) set.description = fields.description;
      for (const k of ['dev_eui', 'join_eui', 'dev_addr'] as const) {
        if (fields[k] !== undefined) set[k] = fields[k];
      }
      // One transaction: a request that fails changes nothing.
      const r = await transact(db, async (trx) => {
        if (set.dev_eui !== undefined || set.join_eui !== undefined) {
          const was = await trx
            .selectFrom('end_devices')
            .select(['dev_eui', 'join_eui'])
            .where('application_id', '=', applicationId)
            .where('device_id', '=', deviceId)
            .executeTakeFirst();
          if (was)
            await claimEuis(
              trx,
              dialect,
              {
                dev_eui: set.dev_eui !== undefined ? set.dev_eui : was.dev_eui,
                join_eui: set.join_eui !== undefined ? set.join_eui : was.join_eui,
              },
              { application_id: applicationId, device_id: deviceId },
            );
        }
        return trx
          .updateTable('end_devices')
          .set({
            ...set,
            ...settingsColumns(fields),
            ...versionColumns(fields.version_ids),
            ...sealedColumns(vault, applicationId, deviceId, fields),
            updated_at: now.toISOString(),
          })
          .where('application_id', '=', applicationId)
          .where('device_id', '=', deviceId)
          .executeTakeFirst();
      });
      if (Number(r.numUpdatedRows) === 0) {
        ns.device(applicationId, deviceId);
        throw notFoundDevice({ application_id: applicationId, device_id: deviceId });
      }
      written(applicationId, deviceId);
      const updated = await this.find(applicationId, deviceId);
      ns.device(applicationId, deviceId, updated?.dev_addr);
      if (!updated) throw notFoundDevice({ application_id: applicationId, device_id: deviceId });
      return updated;
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
      ns.device(applicationId, deviceId);
      written(applicationId, deviceId);
    },

    async getKeys(applicationId: string, deviceId: string): Promise<EndDeviceKeys> {
      const row = await db
        .selectFrom('end_devices')
        .select(KEY_COLUMNS)
        .where('application_id', '=', applicationId)
        .where('device_id', '=', deviceId)
        .executeTakeFirst();
      if (!row) throw notFoundDevice({ application_id: applicationId, device_id: deviceId });
      return openKeys(vault, applicationId, deviceId, row);
    },

    versionIds(applicationId: string, deviceId: string) {
      return cached.versions.get(`${applicationId}/${deviceId}`, async () => {
        const [row] = (await versionsOf(db, { app: applicationId, dev: deviceId })).rows;
        return row && versionIdsOf(row);
      });
    },

    /** The AS core's and simulator's own per-device state (JSON), kept beside the device. */
    async getSession<T>(applicationId: string, deviceId: string): Promise<T | undefined> {
      let read = db
        .selectFrom('end_devices')
        .select('session')
        .where('application_id', '=', applicationId)
        .where('device_id', '=', deviceId);
      // A unit of work reads the session to write it back (receive window, settle). On
      // PostgreSQL, at READ COMMITTED, units on two instances would both read the old session and
      // the second write would undo the first: the row stays locked until the unit commits.
      // SQLite's one connection already runs units one at a time.
      if (dialect === 'postgres' && db.isTransaction) read = read.forUpdate();
      const row = await read.executeTakeFirst();
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
      if (fields.dev_addr !== undefined) {
        ns.devAddr(applicationId, deviceId, fields.dev_addr);
        cached.identities.drop(`${applicationId}/${deviceId}`);
      }
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
