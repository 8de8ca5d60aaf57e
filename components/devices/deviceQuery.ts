/**
 * The device list's search, sort and page, asked of the server (issue 16 item 3): a fleet of
 * thousands reads one page of fifty, not the fleet. The API's `order` and `search` do what the
 * browser did here before: every word in ID, name or an EUI, empty values last either way.
 */
import type { DeviceOrderField } from '@/lib/schemas/devicePages';

export type SortKey = DeviceOrderField;
export interface DeviceQuery {
  search: string;
  sort: SortKey;
  descending: boolean;
  /** 0-based here; the API's `page` is 1-based, as TTS's. */
  page: number;
  pageSize: number;
}

export const DEFAULT_QUERY: DeviceQuery = {
  search: '',
  sort: 'device_id',
  descending: false,
  page: 0,
  pageSize: 50,
};

/** The application overview's glance at the fleet: ten at a time. */
export const OVERVIEW_QUERY: DeviceQuery = { ...DEFAULT_QUERY, pageSize: 10 };

/** The query string of `GET /applications/{app}/devices` for one page. */
export function pageParams(q: DeviceQuery): string {
  const p = new URLSearchParams({
    limit: String(q.pageSize),
    page: String(q.page + 1),
    order: `${q.descending ? '-' : ''}${q.sort}`,
  });
  const search = q.search.trim();
  if (search) p.set('search', search);
  return p.toString();
}

export const pageCount = (total: number, pageSize: number) => Math.max(1, Math.ceil(total / pageSize));

export type Liveness = 'recent' | 'today' | 'stale' | 'never';

/** The status dot: seen in the last 15 minutes, the last day, before, or never. */
export function livenessOf(lastSeenAt: string | undefined, now: number): Liveness {
  if (!lastSeenAt) return 'never';
  const age = now - Date.parse(lastSeenAt);
  if (age < 15 * 60_000) return 'recent';
  if (age < 24 * 3_600_000) return 'today';
  return 'stale';
}
