'use client';

import type { ConnectionStatus } from '@/lib/live/connection';
import type { LiveRow } from '@/lib/live/event';
import { download, toCsv, toJson } from '@/lib/live/exportRows';
import type { HistoryState } from '@/lib/live/useLiveStream';
import { Button } from '../ui';
import { ConnectionBadge } from './ConnectionBadge';

interface ActionBarProps {
  status: ConnectionStatus;
  history: HistoryState;
  shown: readonly LiveRow[];
  /** Events among `shown`, and in the whole buffer. */
  messages: number;
  total: number;
  dropped: number;
  /** Rows the buffer keeps. */
  capacity: number;
  paused: boolean;
  pending: number;
  onPause: (paused: boolean) => void;
  onClear: () => void;
  exportName: string;
  title?: string;
}

const fmt = (n: number) => n.toLocaleString('en');

/** When an export was taken, for its file name. */
const stampNow = () => new Date().toISOString().replace(/[:.]/g, '-');

export function ActionBar(p: ActionBarProps) {
  const { messages } = p;
  return (
    <div className="flex flex-wrap items-center gap-2 border-b border-slate-200 px-3 py-2">
      {p.title && <h2 className="mr-1 text-sm font-semibold text-slate-800">{p.title}</h2>}
      <ConnectionBadge status={p.status} paused={p.paused} />
      <span className="text-xs text-slate-500 tabular-nums" data-testid="row-count" data-count={messages}>
        {messages === p.total ? `${fmt(messages)} events` : `${fmt(messages)} of ${fmt(p.total)} events`}
      </span>
      {p.history === 'unavailable' && <span className="text-xs text-amber-700">history unavailable</span>}
      {p.dropped > 0 && (
        <span className="rounded bg-amber-50 px-1.5 py-0.5 text-xs text-amber-800" data-testid="dropped-note">
          {fmt(p.dropped)} older rows dropped (the buffer keeps the newest {fmt(p.capacity)})
        </span>
      )}
      <div className="ml-auto flex items-center gap-1.5">
        <Button
          size="sm"
          variant={p.paused ? 'primary' : 'secondary'}
          data-testid={p.paused ? 'resume' : 'pause'}
          onClick={() => p.onPause(!p.paused)}
        >
          {p.paused ? (
            <>
              Resume
              {p.pending > 0 && (
                <span
                  className="rounded-full bg-white/25 px-1.5 text-[11px]"
                  data-testid="pending-count"
                  data-count={p.pending}
                >
                  {fmt(p.pending)} new
                </span>
              )}
            </>
          ) : (
            'Pause'
          )}
        </Button>
        <Button size="sm" data-testid="clear" onClick={p.onClear}>
          Clear
        </Button>
        <Button
          size="sm"
          data-testid="export-json"
          onClick={() =>
            download(`${p.exportName}_live_data_${stampNow()}.json`, toJson(p.shown), 'application/json')
          }
        >
          JSON
        </Button>
        <Button
          size="sm"
          data-testid="export-csv"
          onClick={() => download(`${p.exportName}_live_data_${stampNow()}.csv`, toCsv(p.shown), 'text/csv')}
        >
          CSV
        </Button>
      </div>
    </div>
  );
}
