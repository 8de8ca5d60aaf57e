import { memo } from 'react';
import type { LiveRow } from '@/lib/live/event';
import { hasLeadText, previewOf } from '@/lib/live/preview';
import { dateIfNotToday, formatTime } from '@/lib/live/when';
import { TypeChip } from './eventStyles';

/** A row's height: one line of fields. */
export const ROW_HEIGHT = 30;
export const CARD_HEIGHT = 58;
/**
 * A row that leads with a decoded payload or a failure reason is two lines taller (the text
 * clamped there; the details show all of it). Fixed per row rather than measured once drawn:
 * measuring every arriving row made a flood of events ten times slower to draw (2 frames/s
 * against 36, e2e/flood.spec.ts).
 */
export const TALL_EXTRA = 32;

const tall = new WeakMap<LiveRow, boolean>();

export function isTall(row: LiveRow): boolean {
  if (row.kind !== 'message') return false;
  let t = tall.get(row);
  if (t === undefined) {
    t = hasLeadText(row);
    tall.set(row, t);
  }
  return t;
}

function Field({
  label,
  value,
  className = '',
}: {
  label: string;
  value?: string | number;
  className?: string;
}) {
  if (value === undefined || value === '') return null;
  return (
    <span className={`shrink-0 whitespace-nowrap ${className}`}>
      <span className="text-slate-500">{label}</span> <span className="text-slate-700">{value}</span>
    </span>
  );
}

/**
 * What matters first: the decoded payload (two lines of it, wrapped: no 48-character cap), a
 * failure's reason in words, then the frame's fields on one line.
 */
function Preview({ row }: { row: Extract<LiveRow, { kind: 'message' }> }) {
  const p = previewOf(row);
  const clamp = p.decoded !== undefined && p.error !== undefined ? 'line-clamp-1' : 'line-clamp-2';
  return (
    <span
      className="flex min-w-0 flex-col gap-0.5 overflow-hidden font-mono text-xs leading-4 max-sm:col-span-3"
      data-testid="event-preview"
    >
      {p.decoded && (
        <span
          className={`min-w-0 break-all ${clamp} text-indigo-800`}
          title={p.decoded}
          data-testid="event-decoded"
        >
          {p.decoded}
        </span>
      )}
      {p.error && (
        <span
          className={`min-w-0 break-words ${clamp} text-red-700`}
          title={p.error}
          data-testid="event-error"
        >
          {p.error}
        </span>
      )}
      <Fields p={p} />
    </span>
  );
}

function Fields({ p }: { p: ReturnType<typeof previewOf> }) {
  return (
    <span className="flex min-w-0 items-center gap-3 overflow-hidden whitespace-nowrap">
      <Field label="FPort" value={p.fPort} />
      <Field label="FCnt" value={p.fCnt} />
      {p.payloadHex && (
        <span className="max-w-[40ch] min-w-[6ch] truncate text-slate-800" title={p.payloadHex}>
          {p.payloadHex}
        </span>
      )}
      <Field label="RSSI" value={p.rssi} />
      <Field label="SNR" value={p.snr} />
      <Field label="" value={p.dataRate} />
      <Field label="prio" value={p.priority} />
      {p.confirmed && (
        <span className="shrink-0 rounded bg-slate-200 px-1 text-[10px] text-slate-700">confirmed</span>
      )}
      {p.attempt && (
        <span className="shrink-0 whitespace-nowrap text-slate-600" data-testid="attempt">
          {p.attempt}
        </span>
      )}
    </span>
  );
}

/** Today's rows show the time; older ones the date too, in the user's locale. */
function When({ time }: { time: number }) {
  const date = dateIfNotToday(time);
  return (
    <span className="font-mono text-xs text-slate-500 tabular-nums" data-testid="event-time">
      {date && (
        <span className="mr-1.5 font-sans" data-testid="event-date">
          {date}
        </span>
      )}
      {formatTime(time)}
    </span>
  );
}

export const GapRow = memo(function GapRow({ row }: { row: Extract<LiveRow, { kind: 'gap' }> }) {
  return (
    <div
      data-testid="gap-row"
      className="flex flex-1 items-center gap-2 border-y border-dashed border-amber-300 bg-amber-50 px-3 text-xs text-amber-900"
    >
      <span className="font-medium">Connection gap</span>
      <span className="font-mono">
        {formatTime(row.from)} – {formatTime(row.to)}
      </span>
      <span>· {row.recovered} event(s) recovered from history</span>
    </div>
  );
});

interface EventRowProps {
  row: Extract<LiveRow, { kind: 'message' }>;
  selected: boolean;
  /** The table is one Tab stop: only this row is in the tab order, arrow keys move it. */
  tabbable: boolean;
  showDevice: boolean;
  onSelect: (key: string) => void;
}

/** Memoized: a frame of new events re-renders only the rows it adds, not the ones on screen. */
export const EventRow = memo(function EventRow({
  row,
  selected,
  tabbable,
  showDevice,
  onSelect,
}: EventRowProps) {
  return (
    <button
      type="button"
      data-testid="event-row"
      data-key={row.key}
      data-type={row.type}
      aria-current={selected || undefined}
      tabIndex={tabbable ? 0 : -1}
      onClick={() => onSelect(row.key)}
      className={`grid w-full flex-1 grid-cols-[var(--time-col)_var(--dev-col)_7.5rem_1fr] items-baseline gap-3 overflow-hidden border-b border-slate-100 px-3 py-[6px] text-left text-[13px] outline-offset-[-2px] hover:bg-indigo-50/60 max-sm:grid-cols-[auto_minmax(0,1fr)_auto] max-sm:content-center max-sm:gap-x-2 max-sm:gap-y-1 ${
        selected ? 'bg-indigo-50 ring-1 ring-inset ring-indigo-300' : ''
      }`}
    >
      <When time={row.time} />
      {showDevice ? (
        <span className="truncate font-medium text-slate-800" data-testid="event-device">
          {row.deviceId}
        </span>
      ) : (
        <span />
      )}
      <span>
        <TypeChip type={row.type} />
      </span>
      <Preview row={row} />
    </button>
  );
});
