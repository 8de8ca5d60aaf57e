import { asMoteError, httpErrorDetails, httpStatus } from '../../lib/errors';
import type { UpType } from '../../lib/messages';
import type { StorageCountQuery, StorageQuery } from '../../lib/schemas/storage';
import { EVENT_OF_TYPE } from '../as/events';
import type { HistoryFilter, HistoryStore, StoredUp } from '../store/ports';
import { streamRows } from './rowStream';

export interface StorageTarget {
  applicationId: string;
  deviceId?: string;
  type?: UpType;
}

/** The store's filter for a storage request: `last` is `after = now − last`, the later bound wins. */
function filterOf(now: Date, target: StorageTarget, q: StorageCountQuery): HistoryFilter {
  const lastBound = q.last !== undefined ? new Date(now.getTime() - q.last).toISOString() : undefined;
  const after = [q.after, lastBound]
    .filter((x): x is string => x !== undefined)
    .sort()
    .at(-1);
  return { ...target, after, before: q.before, fPort: q.f_port };
}

/** TTS always returns the identifiers and `received_at`, whatever the field mask says. */
const ALWAYS = ['end_device_ids', 'received_at'];
type MaskTree = { [field: string]: MaskTree | true };

function maskTree(paths: readonly string[][]): MaskTree {
  const root: MaskTree = {};
  for (const p of [...ALWAYS.map((f) => [f]), ...paths]) {
    let node: MaskTree | true = root;
    for (const [i, part] of p.entries()) {
      if (node === true) break;
      if (i === p.length - 1) node[part] = true;
      else {
        const child: MaskTree | true = node[part] ?? {};
        node[part] = child;
        node = child;
      }
    }
  }
  return root;
}

/** Keeps the selected fields in the message's own (proto declaration) order. */
function applyMask(value: Record<string, unknown>, tree: MaskTree): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const sub = tree[k];
    if (sub === true) out[k] = v;
    else if (sub !== undefined && typeof v === 'object' && v !== null && !Array.isArray(v))
      out[k] = applyMask(v as Record<string, unknown>, sub);
  }
  return out;
}

function lineOf(q: StorageQuery): (r: StoredUp) => string {
  if (q.field_mask === undefined) return (r) => `{"result":${r.message}}`;
  const tree = maskTree(q.field_mask);
  return (r) => JSON.stringify({ result: applyMask(JSON.parse(r.message) as Record<string, unknown>, tree) });
}

/** grpc-gateway's error chunk when a stream fails after its first result. */
function errorChunk(e: unknown): string {
  const err = asMoteError(e);
  return JSON.stringify({
    error: {
      grpc_code: err.code,
      http_code: httpStatus[err.errorClass],
      message: err.message,
      details: [httpErrorDetails(err)],
    },
  });
}

/**
 * Storage-shaped answers, as TTS's grpc-gateway streams them: one `{"result": ApplicationUp}`
 * per result, each followed by `delimiter` (`\n`; `\n\n` for `text/event-stream`). Each line is
 * built from the stored text without parsing it unless a field mask trims it, and written a few
 * rows at a time as the client reads (rowStream.ts). `onEnd` runs once the answer is over.
 */
export function storageStream(
  history: HistoryStore,
  now: Date,
  target: StorageTarget,
  q: StorageQuery,
  delimiter: string,
  onEnd?: () => void,
): Promise<ReadableStream<Uint8Array>> {
  const pages = history.pages({
    ...filterOf(now, target, q),
    order: q.order === 'received_at' ? 'asc' : 'desc',
    limit: q.limit,
  });
  const line = lineOf(q);
  return streamRows(pages, {
    render: (r) => `${line(r)}${delimiter}`,
    failure: (e) => `${errorChunk(e)}${delimiter}`,
    onEnd,
  });
}

/** `…/{type}/count`: TTS's GetStoredApplicationUpCountResponse, counts by device ID. */
export async function storageCount(
  history: HistoryStore,
  now: Date,
  target: StorageTarget,
  q: StorageCountQuery,
): Promise<{ count: Record<string, number> }> {
  return { count: await history.count(filterOf(now, target, q)) };
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

/**
 * `GET /events/related?correlation_id=…`: `{"events": [...]}`, the chain in the order it
 * happened, streamed like storage answers; with `prefix`, of every ID starting with it. A store failure after the start ends the array and
 * adds `error`, so the body stays one JSON object.
 */
export function relatedStream(
  history: HistoryStore,
  correlationId: string,
  applicationId: string | undefined,
  limit: number,
  onEnd?: () => void,
  prefix = false,
): Promise<ReadableStream<Uint8Array>> {
  return streamRows(history.relatedPages(correlationId, { applicationId, limit, prefix }), {
    open: '{"events":[',
    render: (r, i) => `${i > 0 ? ',' : ''}${JSON.stringify(asEvent(r))}`,
    close: ']}',
    failure: (e) => `],${errorChunk(e).slice(1, -1)}}`,
    onEnd,
  });
}
