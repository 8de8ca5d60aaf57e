'use client';

import type { LiveMessage } from '@/lib/live/event';
import { CopyButton } from '../CopyButton';
import { Button } from '../ui';
import { formatDateTime, TypeChip } from './eventStyles';

interface DetailPanelProps {
  event?: LiveMessage;
  missing: boolean;
  activeCorrelationId: string;
  onCorrelationId: (id: string) => void;
  onClose: () => void;
}

/** The selected event's full JSON; every correlation ID is a one-click filter. */
export function DetailPanel({
  event,
  missing,
  activeCorrelationId,
  onCorrelationId,
  onClose,
}: DetailPanelProps) {
  const json = event ? JSON.stringify(event.message, null, 2) : '';
  return (
    <aside
      data-testid="detail-panel"
      aria-label="Event details"
      // On a phone, a bottom sheet over the list rather than a pane squeezed under it.
      className="flex min-h-0 w-[30rem] shrink-0 flex-col border-l border-slate-200 bg-white max-lg:w-full max-lg:border-t max-lg:border-l-0 max-sm:fixed max-sm:inset-x-0 max-sm:bottom-0 max-sm:z-40 max-sm:h-[70dvh] max-sm:rounded-t-xl max-sm:shadow-2xl"
    >
      <header className="flex items-center gap-2 border-b border-slate-200 px-3 py-2">
        <h3 className="text-sm font-semibold">Event details</h3>
        {event && <TypeChip type={event.type} />}
        <div className="ml-auto flex gap-1.5">
          {event && <CopyButton text={json} label="Copy JSON" testId="copy-json" />}
          <Button
            size="sm"
            variant="ghost"
            onClick={onClose}
            data-testid="close-detail"
            aria-label="Close details"
          >
            ✕
          </Button>
        </div>
      </header>
      {!event ? (
        <p className="p-4 text-sm text-slate-500" data-testid="detail-missing">
          {missing
            ? 'This event is not here anymore: cleared, dropped from the buffer, or older than the history kept.'
            : 'Loading…'}
        </p>
      ) : (
        <div className="min-h-0 flex-1 overflow-auto">
          <dl className="grid grid-cols-[6rem_1fr] gap-x-3 gap-y-1 px-3 py-2 text-xs">
            <dt className="text-slate-500">Received</dt>
            <dd className="font-mono">{formatDateTime(event.time)}</dd>
            <dt className="text-slate-500">Device</dt>
            <dd className="font-mono break-all">{event.deviceId}</dd>
            <dt className="text-slate-500">Correlation</dt>
            <dd className="flex flex-col items-start gap-1">
              {event.correlationIds.map((id) => (
                <button
                  key={id}
                  type="button"
                  data-testid="correlation-id"
                  title="Filter by this correlation ID"
                  onClick={() => onCorrelationId(id)}
                  className={`max-w-full truncate rounded px-1.5 py-px text-left font-mono text-[11px] ring-1 ring-inset ${
                    id === activeCorrelationId
                      ? 'bg-indigo-600 text-white ring-indigo-600'
                      : 'bg-indigo-50 text-indigo-800 ring-indigo-200 hover:bg-indigo-100'
                  }`}
                >
                  {id}
                </button>
              ))}
            </dd>
          </dl>
          <pre
            data-testid="detail-json"
            className="border-t border-slate-100 bg-slate-50 p-3 font-mono text-[11px] leading-relaxed text-slate-800"
          >
            {json}
          </pre>
        </div>
      )}
    </aside>
  );
}
