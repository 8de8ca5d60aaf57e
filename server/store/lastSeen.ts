import type { Kysely } from 'kysely';
import type { LastSeenStore } from './ports';
import type { Database } from './schema';

/** `end_devices.last_seen_at` in batches: one transaction for many devices' uplinks. */
export function lastSeenStore(db: Kysely<Database>): LastSeenStore {
  return {
    async touchMany(entries: ReadonlyMap<string, { applicationId: string; deviceId: string; at: string }>) {
      if (entries.size === 0) return;
      await db.transaction().execute(async (trx) => {
        for (const e of entries.values()) {
          await trx
            .updateTable('end_devices')
            .set({ last_seen_at: e.at })
            .where('application_id', '=', e.applicationId)
            .where('device_id', '=', e.deviceId)
            .execute();
        }
      });
    },
  };
}
