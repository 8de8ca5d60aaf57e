import { bodyOf, isObject, type LiveRow } from './event';

/** One numeric field of `decoded_payload` over time (docs/behaviour.md §7), for the device page's charts. */
export interface DecodedSeries {
  /** `temperature`, or `gps_1.latitude` for one level of nesting. */
  field: string;
  points: { time: number; value: number }[];
}

function numericFields(data: Record<string, unknown>, prefix = '', depth = 0): [string, number][] {
  const out: [string, number][] = [];
  for (const [k, v] of Object.entries(data)) {
    if (typeof v === 'number' && Number.isFinite(v)) out.push([`${prefix}${k}`, v]);
    else if (typeof v === 'boolean') out.push([`${prefix}${k}`, v ? 1 : 0]);
    else if (depth === 0 && isObject(v)) out.push(...numericFields(v, `${k}.`, 1));
  }
  return out;
}

/** Series of the uplinks' decoded numbers, oldest first, at most `maxFields` fields. */
export function decodedSeries(rows: readonly LiveRow[], maxFields = 6): DecodedSeries[] {
  const series = new Map<string, DecodedSeries>();
  for (const row of rows) {
    if (row.kind !== 'message' || row.type !== 'up') continue;
    const body = bodyOf(row.message)?.body;
    if (!body || !isObject(body.decoded_payload)) continue;
    for (const [field, value] of numericFields(body.decoded_payload)) {
      let s = series.get(field);
      if (!s) {
        if (series.size >= maxFields) continue;
        s = { field, points: [] };
        series.set(field, s);
      }
      s.points.push({ time: row.time, value });
    }
  }
  for (const s of series.values()) s.points.sort((a, b) => a.time - b.time);
  return [...series.values()];
}
