import { apiFetch } from '../apiClient';
import { isObject, type LiveMessage, toLiveMessage } from './event';

export interface HistoryScope {
  applicationId: string;
  deviceId?: string;
}

export interface HistoryQuery {
  limit?: number;
  after?: string;
  before?: string;
  order?: 'received_at' | '-received_at';
}

const enc = encodeURIComponent;

export function historyPath(scope: HistoryScope, q: HistoryQuery): string {
  const base = `/api/v3/as/applications/${enc(scope.applicationId)}${scope.deviceId ? `/devices/${enc(scope.deviceId)}` : ''}`;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined) params.set(k, String(v));
  return `${base}/packages/storage/all?${params}`;
}

/** `{"result": up}` (storage), `{"data": {"@type", …up}}` (events/related), or the bare message. */
function unwrap(item: unknown): unknown {
  if (!isObject(item)) return item;
  if (isObject(item.result)) return item.result;
  if (isObject(item.data) && typeof item.data['@type'] === 'string') {
    const { '@type': _, ...up } = item.data;
    return up;
  }
  return item;
}

/**
 * TTS streams one `{"result": ApplicationUp}` per line; a JSON array, or an object holding one,
 * is accepted as well so the console does not depend on the framing.
 */
export function parseHistory(text: string): LiveMessage[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  let items: unknown[] = [];
  try {
    const whole: unknown = JSON.parse(trimmed);
    if (Array.isArray(whole)) items = whole;
    else if (isObject(whole)) {
      const list = Object.values(whole).find(Array.isArray);
      items = list ?? [whole];
    }
  } catch {
    items = trimmed.split('\n').flatMap((line) => {
      try {
        return line.trim() ? [JSON.parse(line)] : [];
      } catch {
        return [];
      }
    });
  }
  return items.flatMap((item) => {
    const msg = unwrap(item);
    const row = toLiveMessage(msg);
    return row ? [row] : [];
  });
}

export async function fetchHistory(scope: HistoryScope, q: HistoryQuery): Promise<LiveMessage[]> {
  const res = await apiFetch(historyPath(scope, q));
  if (!res.ok) throw new Error(`history: HTTP ${res.status}`);
  return parseHistory(await res.text());
}

/** One answer of `events/related`: its rows within the scope, and whether it held every match. */
export interface RelatedPage {
  rows: LiveMessage[];
  /** Fewer than `limit` came back, so nothing was left out: a longer prefix needs no new query. */
  complete: boolean;
}

/**
 * Every stored message carrying `correlationId` (`GET /events/related`), within `scope`; with
 * `prefix`, every one carrying an ID that starts with it (Mote's `match=prefix`), up to `limit`.
 * The server reads the scope's application only (`application_id`), so other applications'
 * messages neither travel nor use up the limit; the device is picked out here.
 */
export async function fetchRelatedPage(
  scope: HistoryScope,
  correlationId: string,
  options: { prefix?: boolean; limit?: number; signal?: AbortSignal } = {},
): Promise<RelatedPage> {
  const params = new URLSearchParams({
    correlation_id: correlationId,
    application_id: scope.applicationId,
  });
  if (options.prefix) params.set('match', 'prefix');
  if (options.limit !== undefined) params.set('limit', String(options.limit));
  const res = await apiFetch(`/api/v3/events/related?${params}`, { signal: options.signal });
  if (!res.ok) return { rows: [], complete: false };
  const all = parseHistory(await res.text());
  const rows = all.filter((r) => !scope.deviceId || r.deviceId === scope.deviceId);
  return { rows, complete: all.length < (options.limit ?? RELATED_DEFAULT_LIMIT) };
}

/** The server's default `limit` for `events/related`. */
const RELATED_DEFAULT_LIMIT = 1000;

export async function fetchRelated(scope: HistoryScope, correlationId: string): Promise<LiveMessage[]> {
  return (await fetchRelatedPage(scope, correlationId)).rows;
}
