/**
 * Each device's newest stored uplink, for the console's device list (issue 16 item 4): it used
 * to re-read up to 2 000 of an application's uplinks every 15 s per open tab to find them.
 * One statement for the page's devices: a seek per device on `history_device_time`
 * (application, device, received_at), newest first, so the cost follows the page, not the history.
 */
import type { Kysely } from 'kysely';
import { MAX_NEWEST_DEVICES } from '../../lib/schemas/devicePages';
import type { StoredUp } from './ports';
import type { Database } from './schema';

export function newestUplinks(db: Kysely<Database>) {
  return async (applicationId: string, deviceIds: readonly string[]): Promise<StoredUp[]> => {
    const ids = [...new Set(deviceIds)].slice(0, MAX_NEWEST_DEVICES);
    if (ids.length === 0) return [];
    const newestOf = (deviceId: string) =>
      db
        .selectFrom('history')
        .select('seq')
        .where('application_id', '=', applicationId)
        .where('device_id', '=', deviceId)
        .where('type', '=', 'uplink_message')
        .orderBy('received_at', 'desc')
        .orderBy('seq', 'desc')
        .limit(1);
    const rows = await db
      .selectFrom('history')
      .select(['seq', 'application_id', 'device_id', 'type', 'received_at', 'message'])
      .where((eb) => eb.or(ids.map((id) => eb('seq', '=', newestOf(id)))))
      .orderBy('device_id')
      .execute();
    return rows.map((r) => ({
      seq: r.seq,
      applicationId: r.application_id,
      deviceId: r.device_id,
      type: r.type,
      receivedAt: r.received_at,
      message: r.message,
    }));
  };
}
