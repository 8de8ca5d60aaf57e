import type { EventType } from '@/lib/live/event';
import { formatTime } from '@/lib/live/when';

/** One colour per event type (TTS #3812 asks for it); uplinks blue, downlink lifecycle warm→green. */
export const TYPE_STYLE: Record<EventType, string> = {
  join: 'bg-violet-100 text-violet-800 ring-violet-200',
  up: 'bg-sky-100 text-sky-800 ring-sky-200',
  'up/normalized': 'bg-cyan-100 text-cyan-800 ring-cyan-200',
  'down/queued': 'bg-slate-100 text-slate-700 ring-slate-200',
  'down/sent': 'bg-amber-100 text-amber-800 ring-amber-200',
  'down/ack': 'bg-emerald-100 text-emerald-800 ring-emerald-200',
  'down/nack': 'bg-orange-100 text-orange-800 ring-orange-200',
  'down/failed': 'bg-red-100 text-red-800 ring-red-200',
  'location/solved': 'bg-teal-100 text-teal-800 ring-teal-200',
  'service/data': 'bg-fuchsia-100 text-fuchsia-800 ring-fuchsia-200',
  'up/decode/failed': 'bg-rose-100 text-rose-800 ring-rose-200',
  'up/drop': 'bg-rose-100 text-rose-800 ring-rose-200',
  other: 'bg-slate-100 text-slate-600 ring-slate-200',
};

export function TypeChip({ type }: { type: EventType }) {
  return (
    <span
      data-testid="event-type"
      className={`inline-flex items-center rounded px-1.5 py-px font-mono text-[11px] leading-4 ring-1 ring-inset ${TYPE_STYLE[type]}`}
    >
      {type}
    </span>
  );
}

/** Local date and time with milliseconds, e.g. `2026-12-02 14:03:07.512`. */
export function formatDateTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${formatTime(ms)}`;
}
