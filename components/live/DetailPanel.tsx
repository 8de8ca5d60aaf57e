'use client';

import type { LiveMessage } from '@/lib/live/event';
import { previewOf } from '@/lib/live/preview';
import { CopyButton } from '../CopyButton';
import { Button } from '../ui';
import { formatDateTime, TypeChip } from './eventStyles';
import { JsonTree } from './JsonTree';

interface DetailPanelProps {
  event?: LiveMessage;
  missing: boolean;
  activeCorrelationId: string;
  onCorrelationId: (id: string) => void;
  onClose: () => void;
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <>
      <dt className="text-slate-500">{label}</dt>
      <dd
        className="font-mono break-words"
        data-testid={`detail-${label.toLowerCase().replaceAll(' ', '-')}`}
      >
        {value}
      </dd>
    </>
  );
}

/** The summary's optional lines: only what the event has. */
function summaryFacts(event: LiveMessage): [string, string][] {
  const p = previewOf(event);
  const out: [string, string][] = [];
  const add = (label: string, v: string | number | undefined) => {
    if (v !== undefined && v !== '') out.push([label, String(v)]);
  };
  add('FPort', p.fPort);
  add('FCnt', p.fCnt);
  add('RSSI', p.rssi === undefined ? undefined : `${p.rssi} dBm`);
  add('SNR', p.snr === undefined ? undefined : `${p.snr} dB`);
  add('Data rate', p.dataRate);
  add('Decoded', p.decoded);
  add('Failure', p.error);
  return out;
}

/**
 * The selected event: a summary (type, device, time, IDs, frame and radio facts) over its whole
 * message as a foldable tree; every correlation ID is a one-click filter. Escape closes it
 * (LiveView listens, as focus may be on the row rather than in here).
 */
export function DetailPanel({
  event,
  missing,
  activeCorrelationId,
  onCorrelationId,
  onClose,
}: DetailPanelProps) {
  const json = event ? JSON.stringify(event.message, null, 2) : '';
  const facts = event ? summaryFacts(event) : [];
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
          <dl
            className="grid grid-cols-[6rem_1fr] gap-x-3 gap-y-1 px-3 py-2 text-xs"
            data-testid="detail-summary"
          >
            <dt className="text-slate-500">Received</dt>
            <dd className="font-mono">{formatDateTime(event.time)}</dd>
            <dt className="text-slate-500">Device</dt>
            <dd className="font-mono break-all" data-testid="detail-device">
              {event.deviceId}
            </dd>
            {facts.map(([label, value]) => (
              <Fact key={label} label={label} value={value} />
            ))}
            <dt className="text-slate-500">Correlation</dt>
            <dd className="flex flex-col items-start gap-1">
              {event.correlationIds.map((id) => (
                <button
                  key={id}
                  type="button"
                  data-testid="correlation-id"
                  title="Filter by this correlation ID"
                  onClick={() => onCorrelationId(id)}
                  className={`max-w-full rounded px-1.5 py-px text-left font-mono text-[11px] break-all ring-1 ring-inset ${
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
          <div className="border-t border-slate-100 bg-slate-50 p-3">
            <JsonTree value={event.message} testId="detail-json" />
          </div>
        </div>
      )}
    </aside>
  );
}
