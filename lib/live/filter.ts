import type { EventType, LiveMessage, LiveRow } from './event';
import { previewOf } from './preview';

/** The table's filters; they combine (AND). Empty means "no constraint". */
export interface LiveFilter {
  types: readonly EventType[];
  device: string;
  text: string;
  correlationId: string;
}

export const EMPTY_FILTER: LiveFilter = { types: [], device: '', text: '', correlationId: '' };

export const isFiltering = (f: LiveFilter) =>
  f.types.length > 0 || f.device !== '' || f.text.trim() !== '' || f.correlationId !== '';

/** Searchable text per row, built once: the filter runs over the whole buffer every frame. */
const haystacks = new WeakMap<LiveMessage, string>();

function haystack(e: LiveMessage): string {
  let h = haystacks.get(e);
  if (h === undefined) {
    h =
      `${e.deviceId}\n${e.type}\n${previewOf(e).payloadHex ?? ''}\n${JSON.stringify(e.message)}`.toLowerCase();
    haystacks.set(e, h);
  }
  return h;
}

function matchesText(e: LiveMessage, needle: string): boolean {
  const h = haystack(e);
  return h.includes(needle) || (/\s/.test(needle) && h.includes(needle.replace(/\s/g, '')));
}

export function matches(row: LiveRow, f: LiveFilter): boolean {
  if (row.kind === 'gap') return f.correlationId === '';
  if (f.types.length > 0 && !f.types.includes(row.type)) return false;
  if (f.device !== '' && row.deviceId !== f.device) return false;
  // A prefix, as the history query (`match=prefix`): typing the start of an ID is enough.
  if (f.correlationId !== '' && !row.correlationIds.some((c) => c.startsWith(f.correlationId))) return false;
  const text = f.text.trim().toLowerCase();
  return text === '' || matchesText(row, text);
}

export function applyFilter(rows: readonly LiveRow[], f: LiveFilter): readonly LiveRow[] {
  return isFiltering(f) ? rows.filter((r) => matches(r, f)) : rows;
}

/** The active filters in words, for "No events match …". */
export function describeFilter(f: LiveFilter): string {
  const parts: string[] = [];
  if (f.correlationId !== '') parts.push(`correlation ID “${f.correlationId}…”`);
  if (f.device !== '') parts.push(`device “${f.device}”`);
  if (f.text.trim() !== '') parts.push(`“${f.text.trim()}”`);
  if (f.types.length > 0) parts.push(`type ${f.types.join(', ')}`);
  return parts.join(' and ');
}
