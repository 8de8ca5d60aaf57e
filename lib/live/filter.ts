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

function matchesText(e: LiveMessage, needle: string): boolean {
  if (e.deviceId.toLowerCase().includes(needle) || e.type.includes(needle)) return true;
  const hex = previewOf(e).payloadHex?.toLowerCase();
  if (hex?.includes(needle.replace(/\s/g, ''))) return true;
  return JSON.stringify(e.message).toLowerCase().includes(needle);
}

export function matches(row: LiveRow, f: LiveFilter): boolean {
  if (row.kind === 'gap') return f.correlationId === '';
  if (f.types.length > 0 && !f.types.includes(row.type)) return false;
  if (f.device !== '' && row.deviceId !== f.device) return false;
  if (f.correlationId !== '' && !row.correlationIds.includes(f.correlationId)) return false;
  const text = f.text.trim().toLowerCase();
  return text === '' || matchesText(row, text);
}

export function applyFilter(rows: readonly LiveRow[], f: LiveFilter): readonly LiveRow[] {
  return isFiltering(f) ? rows.filter((r) => matches(r, f)) : rows;
}
