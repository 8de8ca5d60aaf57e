import { decodedSeries } from '@/lib/live/decoded';
import type { LiveRow } from '@/lib/live/event';

const W = 220;
const H = 44;

function sparkline(points: { value: number }[]): string {
  const values = points.map((p) => p.value);
  const [min, max] = [Math.min(...values), Math.max(...values)];
  return points
    .map((p, i) => {
      const x = points.length === 1 ? W / 2 : (i / (points.length - 1)) * W;
      const y = max === min ? H / 2 : H - 2 - ((p.value - min) / (max - min)) * (H - 4);
      return `${i ? 'L' : 'M'}${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join('');
}

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) < 10 ? 2 : 1));

/** The numeric fields of the uplinks' `decoded_payload` over time, one sparkline each (docs/behaviour.md §7). */
export function DecodedChart({ rows, last = 100 }: { rows: readonly LiveRow[]; last?: number }) {
  const series = decodedSeries(rows).map((s) => ({ ...s, points: s.points.slice(-last) }));
  if (series.length === 0)
    return (
      <p className="p-4 text-xs text-slate-500">
        Decoded values appear here once uplinks carry a <code>decoded_payload</code> (set a payload
        formatter).
      </p>
    );
  return (
    <ul className="grid gap-x-6 gap-y-3 p-4 sm:grid-cols-2" data-testid="decoded-chart">
      {series.map((s) => {
        const values = s.points.map((p) => p.value);
        return (
          <li key={s.field} data-testid="decoded-series" data-field={s.field}>
            <div className="flex items-baseline justify-between gap-2 text-xs">
              <span className="truncate font-mono text-slate-600">{s.field}</span>
              <span className="font-mono font-semibold text-slate-900" data-testid="decoded-latest">
                {fmt(values.at(-1)!)}
              </span>
            </div>
            <svg
              viewBox={`0 0 ${W} ${H}`}
              className="h-11 w-full"
              role="img"
              aria-label={`${s.field} over time`}
            >
              <path d={sparkline(s.points)} fill="none" className="stroke-indigo-600" strokeWidth={1.5} />
              {s.points.length === 1 && <circle cx={W / 2} cy={H / 2} r={2.5} className="fill-indigo-600" />}
            </svg>
            <div className="flex justify-between text-[10px] text-slate-500">
              <span>min {fmt(Math.min(...values))}</span>
              <span>max {fmt(Math.max(...values))}</span>
            </div>
          </li>
        );
      })}
    </ul>
  );
}
