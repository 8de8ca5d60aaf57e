import type { Kysely } from 'kysely';
import { compiledQuery } from './compiled';
import type { LastSeenStore } from './ports';
import type { Database } from './schema';

/**
 * Built and compiled once (compiled.ts): devices uplink every few seconds or more, longer than a
 * flush, so a flush holds about one UPDATE per uplink, and building each with Kysely cost more
 * than running it.
 */
const touchQuery = (db: Kysely<Database>) =>
  compiledQuery<Database, 'at' | 'app' | 'dev'>(['at', 'app', 'dev'], (p) =>
    db
      .updateTable('end_devices')
      .set({ last_seen_at: p.at })
      .where('application_id', '=', p.app)
      .where('device_id', '=', p.dev),
  );

/** `end_devices.last_seen_at` in batches: one transaction for many devices' uplinks. */
export function lastSeenStore(db: Kysely<Database>): LastSeenStore {
  let touch: ReturnType<typeof touchQuery> | undefined;
  return {
    async touchMany(entries: ReadonlyMap<string, { applicationId: string; deviceId: string; at: string }>) {
      if (entries.size === 0) return;
      touch ??= touchQuery(db);
      const run = touch;
      await db.transaction().execute(async (trx) => {
        for (const e of entries.values()) await run(trx, { at: e.at, app: e.applicationId, dev: e.deviceId });
      });
    },
  };
}
