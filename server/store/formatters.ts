import type { Kysely } from 'kysely';
import type { ApplicationLink, MessagePayloadFormatters } from '../../lib/formatters/model';
import { compiledQuery } from './compiled';
import { notFoundApplication, notFoundDevice } from './errors';
import type { Dialect } from './migrations';
import type { FormatterStore } from './ports';
import type { Database } from './schema';
import { settingsWithKey } from './settings';

/**
 * Formatters (docs/behaviour.md §7) live in the `settings` JSON columns: the application's under `link`,
 * a device's under `formatters` (one key each, see settings.ts).
 */
type Settings = { link?: ApplicationLink; formatters?: MessagePayloadFormatters | null };

const parse = (text: string): Settings => JSON.parse(text) as Settings;

/**
 * Built and compiled once (compiled.ts): the formatter cache asks for every active device's
 * override every few seconds, hundreds of times a second with thousands of devices.
 */
const deviceSettingsQuery = (db: Kysely<Database>) =>
  compiledQuery<Database, 'app' | 'dev', { settings: string }>(['app', 'dev'], (p) =>
    db
      .selectFrom('end_devices')
      .select('settings')
      .where('application_id', '=', p.app)
      .where('device_id', '=', p.dev),
  );

export function formatterStore(db: Kysely<Database>, dialect: Dialect): FormatterStore {
  const withKey = (key: 'link' | 'formatters', value: unknown) => settingsWithKey(dialect, key, value);
  const deviceSettings = deviceSettingsQuery(db);

  return {
    async getLink(applicationId: string): Promise<ApplicationLink> {
      const row = await db
        .selectFrom('applications')
        .select('settings')
        .where('application_id', '=', applicationId)
        .executeTakeFirst();
      if (!row) throw notFoundApplication({ application_id: applicationId });
      return parse(row.settings).link ?? {};
    },

    async setLink(applicationId: string, link: ApplicationLink): Promise<void> {
      const r = await db
        .updateTable('applications')
        .set({ settings: withKey('link', link) })
        .where('application_id', '=', applicationId)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) throw notFoundApplication({ application_id: applicationId });
    },

    /** The device's override, or undefined when it uses the application's defaults. */
    async getDevice(applicationId: string, deviceId: string): Promise<MessagePayloadFormatters | undefined> {
      const [row] = (await deviceSettings(db, { app: applicationId, dev: deviceId })).rows;
      if (!row) throw notFoundDevice({ application_id: applicationId, device_id: deviceId });
      return parse(row.settings).formatters ?? undefined;
    },

    async setDevice(
      applicationId: string,
      deviceId: string,
      formatters: MessagePayloadFormatters | undefined,
    ) {
      const r = await db
        .updateTable('end_devices')
        .set({ settings: withKey('formatters', formatters) })
        .where('application_id', '=', applicationId)
        .where('device_id', '=', deviceId)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0)
        throw notFoundDevice({ application_id: applicationId, device_id: deviceId });
    },
  };
}
