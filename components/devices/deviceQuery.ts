import type { EndDevice } from '../apiTypes';

/**
 * The device list's search, sort and pages, done in the browser over the whole list: the API
 * lists an application's devices at once (TTS pages with `limit`/`page`; Mote does not), and a
 * few thousand rows sort in a blink, so the table renders one page of them.
 */
export type SortKey = 'device_id' | 'name' | 'dev_eui' | 'last_seen_at' | 'created_at';
export interface DeviceQuery {
  search: string;
  sort: SortKey;
  descending: boolean;
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

const fieldOf = (d: EndDevice, k: SortKey): string =>
  (k === 'device_id' || k === 'dev_eui' ? d.ids[k] : d[k]) ?? '';

/** Matches ID, name, DevEUI, JoinEUI and DevAddr, case and separators aside (EUIs are typed either way). */
export function matches(d: EndDevice, search: string): boolean {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const hay = [d.ids.device_id, d.name, d.ids.dev_eui, d.ids.join_eui, d.ids.dev_addr]
    .filter(Boolean)
    .join(' ')
    .toLowerCase();
  return words.every((w) => hay.includes(w.replaceAll(/[-:]/g, '')) || hay.includes(w));
}

export function queryDevices(all: readonly EndDevice[], q: DeviceQuery) {
  const found = all.filter((d) => matches(d, q.search));
  const sign = q.descending ? -1 : 1;
  // Empty values (never seen, no name) go last either way.
  found.sort((a, b) => {
    const x = fieldOf(a, q.sort);
    const y = fieldOf(b, q.sort);
    if (x === y) return a.ids.device_id.localeCompare(b.ids.device_id);
    if (x === '') return 1;
    if (y === '') return -1;
    return sign * x.localeCompare(y, undefined, { numeric: true });
  });
  const pages = Math.max(1, Math.ceil(found.length / q.pageSize));
  const page = Math.min(q.page, pages - 1);
  return {
    total: found.length,
    pages,
    page,
    rows: found.slice(page * q.pageSize, (page + 1) * q.pageSize),
  };
}

export type Liveness = 'recent' | 'today' | 'stale' | 'never';

/** The status dot: seen in the last 15 minutes, the last day, before, or never. */
export function livenessOf(lastSeenAt: string | undefined, now: number): Liveness {
  if (!lastSeenAt) return 'never';
  const age = now - Date.parse(lastSeenAt);
  if (age < 15 * 60_000) return 'recent';
  if (age < 24 * 3_600_000) return 'today';
  return 'stale';
}
