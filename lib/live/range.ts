/**
 * The live table's time range: the recent past it opens with, or a window of application
 * history picked by the user (the last 15 minutes, hour or day, or from/to).
 */
export type RangeChoice = 'recent' | '15m' | '1h' | '24h' | 'custom';

export const RANGE_LABELS: Record<RangeChoice, string> = {
  recent: 'Recent and live',
  '15m': 'Last 15 minutes',
  '1h': 'Last hour',
  '24h': 'Last 24 hours',
  custom: 'From … to …',
};

const SPAN_MS: Partial<Record<RangeChoice, number>> = {
  '15m': 15 * 60_000,
  '1h': 3_600_000,
  '24h': 86_400_000,
};

export interface TimeRange {
  choice: RangeChoice;
  /** ms since the epoch; open when undefined. */
  from?: number;
  to?: number;
}

export const RECENT: TimeRange = { choice: 'recent' };

/** The window a choice means at `now`; a custom one keeps its own bounds. */
export function rangeOf(choice: RangeChoice, now: number, custom: Omit<TimeRange, 'choice'> = {}): TimeRange {
  const span = SPAN_MS[choice];
  if (span !== undefined) return { choice, from: now - span };
  return choice === 'custom' ? { choice, ...custom } : RECENT;
}

export const inRange = (time: number, r: TimeRange) =>
  (r.from === undefined || time >= r.from) && (r.to === undefined || time <= r.to);
