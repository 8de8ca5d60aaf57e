import type { Kysely } from 'kysely';
import { bulkUpdater } from './bulkUpdate';
import type { Dialect } from './migrations';
import type { LastSeenStore } from './ports';
import type { Database } from './schema';

/**
 * Devices uplink every few seconds or more, longer than a flush, so a flush holds about one row
 * per uplink: written as multi-row UPDATEs (bulkUpdate.ts), not a statement per device.
 */
const touch = bulkUpdater({
  table: 'end_devices',
  match: ['application_id', 'device_id'],
  set: ['last_seen_at'],
});

/** `end_devices.last_seen_at` in batches: one transaction for many devices' uplinks. */
export function lastSeenStore(db: Kysely<Database>, dialect: Dialect): LastSeenStore {
  return {
    async touchMany(entries: ReadonlyMap<string, { applicationId: string; deviceId: string; at: string }>) {
      if (entries.size === 0) return;
      const values: string[] = [];
      for (const e of entries.values()) values.push(e.applicationId, e.deviceId, e.at);
      await db.transaction().execute((trx) => touch(trx, dialect, values));
    },
  };
}
