'use client';

import { RANGE_LABELS, type RangeChoice, rangeOf, type TimeRange } from '@/lib/live/range';

const CHOICES = Object.keys(RANGE_LABELS) as RangeChoice[];
const pad = (n: number) => String(n).padStart(2, '0');

/** `datetime-local` speaks local wall time without a zone. */
function toLocalInput(ms: number | undefined): string {
  if (ms === undefined) return '';
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function fromLocalInput(value: string): number | undefined {
  const ms = value === '' ? Number.NaN : new Date(value).getTime();
  return Number.isNaN(ms) ? undefined : ms;
}

const FIELD = 'h-7 rounded border border-slate-300 bg-white px-1.5 text-xs';

/** Which part of the application's history the table shows; picking one loads it. */
export function RangeControl({ range, onChange }: { range: TimeRange; onChange: (r: TimeRange) => void }) {
  return (
    <div className="flex flex-wrap items-center gap-1.5" data-testid="range-control">
      <select
        aria-label="Time range"
        data-testid="range-select"
        value={range.choice}
        onChange={(e) => {
          const choice = e.target.value as RangeChoice;
          const now = Date.now();
          onChange(rangeOf(choice, now, { from: now - 3_600_000 }));
        }}
        className={FIELD}
      >
        {CHOICES.map((c) => (
          <option key={c} value={c}>
            {RANGE_LABELS[c]}
          </option>
        ))}
      </select>
      {range.choice === 'custom' && (
        <>
          <input
            type="datetime-local"
            aria-label="From"
            data-testid="range-from"
            value={toLocalInput(range.from)}
            onChange={(e) => onChange({ ...range, from: fromLocalInput(e.target.value) })}
            className={FIELD}
          />
          <input
            type="datetime-local"
            aria-label="To"
            data-testid="range-to"
            value={toLocalInput(range.to)}
            // The whole minute picked, as the field shows no seconds.
            onChange={(e) => {
              const to = fromLocalInput(e.target.value);
              onChange({ ...range, to: to === undefined ? undefined : to + 59_999 });
            }}
            className={FIELD}
          />
        </>
      )}
    </div>
  );
}
