/**
 * Every figure is the median of N runs with min and max beside it (issue 18): a scenario runs N
 * times and its sections fold into one whose numbers are the medians, with `spread` (min, max per
 * figure), the load average at each run and the runs themselves. What is not a number (steps,
 * notes) comes from the median run: the one whose primary figure is nearest the median.
 */
export type Section = Record<string, unknown>;

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The middle value; the mean of the two middle ones for an even count. NaN for none. */
export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export interface Aggregated extends Section {
  runs: number;
  /** Min and max of every figure that is a number in at least one run. */
  spread: Record<string, [number, number]>;
  /** The 1-minute load average as each run started. */
  load_averages: number[];
  /** Each run's own section, in order. */
  each_run: Section[];
}

/** Folds runs of one scenario; each run's `load_average` is its load average at start. */
export function aggregate(runs: Section[], primary?: string): Aggregated {
  const keys = new Set(runs.flatMap((r) => Object.keys(r).filter((k) => finite(r[k]))));
  keys.delete('load_average');
  const medians: Section = {};
  const spread: Record<string, [number, number]> = {};
  for (const k of keys) {
    const values = runs.map((r) => r[k]).filter(finite);
    medians[k] = median(values);
    spread[k] = [Math.min(...values), Math.max(...values)];
  }
  const target = primary ? medians[primary] : undefined;
  const distance = (r: Section) =>
    finite(r[primary ?? '']) && finite(target)
      ? Math.abs((r[primary ?? ''] as number) - target)
      : Number.POSITIVE_INFINITY;
  // A run that failed has no figures: the median run is one that has them, where any does.
  const measured = runs.filter((r) => typeof r.note !== 'string' || !r.note.startsWith('failed'));
  const pool = measured.length > 0 ? measured : runs;
  const middle =
    pool.reduce<Section | undefined>(
      (m, r) => (m === undefined || distance(r) < distance(m) ? r : m),
      undefined,
    ) ?? {};
  const failed = runs.length - measured.length;
  const { load_average: _, ...rest } = middle;
  return {
    ...rest,
    ...medians,
    ...(failed > 0
      ? {
          note: `${failed} of ${runs.length} runs failed${measured.length > 0 ? '' : `: ${String(middle.note ?? '')}`}`,
        }
      : {}),
    runs: runs.length,
    spread,
    load_averages: runs.map((r) => (finite(r.load_average) ? r.load_average : Number.NaN)),
    each_run: runs,
  };
}

/** `min–max` of a figure across the runs, or `—` where no run had it. */
export function range(section: Section | undefined, key: string, show: (v: number) => string): string {
  const s = (section?.spread as Record<string, [number, number]> | undefined)?.[key];
  if (!s) return '—';
  return s[0] === s[1] ? show(s[0]) : `${show(s[0])}–${show(s[1])}`;
}
