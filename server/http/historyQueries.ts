import type { UpType } from '../../lib/messages';
import type { StorageQuery } from '../../lib/schemas/storage';
import { EVENT_OF_TYPE } from '../as/events';
import type { HistoryStore, StoredUp } from '../store/ports';

/**
 * Storage-shaped answers. TTS streams one `{"result": ApplicationUp}` object per line
 * (grpc-gateway server streaming); Mote sends the same, newline-delimited, building each line
 * from the stored text without parsing it.
 */
export async function storageLines(
  history: HistoryStore,
  now: Date,
  target: { applicationId: string; deviceId?: string; type?: UpType },
  q: StorageQuery,
): Promise<string> {
  const lastBound = q.last !== undefined ? new Date(now.getTime() - q.last).toISOString() : undefined;
  const after = [q.after, lastBound]
    .filter((x): x is string => x !== undefined)
    .sort()
    .at(-1);
  const rows = await history.query({
    ...target,
    after,
    before: q.before,
    order: q.order === 'received_at' ? 'asc' : 'desc',
    limit: q.limit,
  });
  return rows.map((r) => `{"result":${r.message}}\n`).join('');
}

const UP_TYPE_URL = 'type.googleapis.com/ttn.lorawan.v3.ApplicationUp';

/** One stored message as a TTS event (pkg/events): name, time, identifiers, data. */
export function asEvent(r: StoredUp) {
  const data = JSON.parse(r.message) as { correlation_ids?: string[] };
  return {
    name: EVENT_OF_TYPE[r.type as UpType] ?? r.type,
    time: r.receivedAt,
    identifiers: [
      { device_ids: { device_id: r.deviceId, application_ids: { application_id: r.applicationId } } },
    ],
    data: { '@type': UP_TYPE_URL, ...data },
    correlation_ids: data.correlation_ids ?? [],
  };
}

/** `GET /events/related?correlation_id=…`: the chain in the order it happened. */
export async function relatedEvents(
  history: HistoryStore,
  correlationId: string,
  applicationId?: string,
  limit = 1000,
) {
  const rows = await history.related(correlationId, { applicationId, limit });
  return { events: rows.map(asEvent) };
}
