'use client';

import type { Tracked } from './downlinkTrack';

const STEPS = [
  { stage: 'queued', label: 'Queued' },
  { stage: 'sent', label: 'Sent' },
  { stage: 'done', label: 'Delivered' },
] as const;

const DONE: Record<string, { text: string; tone: string }> = {
  ack: { text: 'Acknowledged by the device', tone: 'text-emerald-700' },
  nack: { text: 'Not acknowledged: it will be sent again', tone: 'text-amber-700' },
  failed: { text: 'Failed', tone: 'text-red-700' },
};

/**
 * The newest pushed downlink's way through the queue, under the form: queued → sent → ack,
 * nack or failed, with a failure's reason in words. An unconfirmed downlink ends at "sent".
 */
export function DownlinkTracker({
  tracked,
  confirmed,
  correlationId,
}: {
  tracked: Tracked;
  confirmed: boolean;
  correlationId: string;
}) {
  const reached = (step: (typeof STEPS)[number]['stage']) => {
    const s = tracked.stage;
    if (step === 'queued') return s !== 'pushing';
    if (step === 'sent') return s === 'sent' || s === 'ack' || s === 'nack';
    return s === 'ack';
  };
  const end = DONE[tracked.stage];
  const steps = confirmed ? STEPS : STEPS.slice(0, 2);
  return (
    <div
      className="space-y-1 rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-xs"
      data-testid="downlink-tracker"
      data-stage={tracked.stage}
      aria-live="polite"
    >
      <ol className="flex flex-wrap items-center gap-1">
        {steps.map((s, i) => (
          <li key={s.stage} className="flex items-center gap-1">
            {i > 0 && <span className="text-slate-400">→</span>}
            <span className={reached(s.stage) ? 'font-semibold text-slate-900' : 'text-slate-400'}>
              {reached(s.stage) ? '●' : '○'} {s.label}
            </span>
          </li>
        ))}
      </ol>
      {tracked.stage === 'pushing' && <p className="text-slate-500">Pushing…</p>}
      {end && (
        <p className={end.tone} data-testid="downlink-outcome">
          {end.text}
          {tracked.reason ? `: ${tracked.reason}` : ''}
        </p>
      )}
      <p
        className="truncate font-mono text-[10px] text-slate-400"
        title={correlationId}
        data-testid="downlink-cid"
      >
        {correlationId}
      </p>
    </div>
  );
}
