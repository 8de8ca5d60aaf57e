'use client';

import { type KeyboardEvent, useEffect, useMemo, useState } from 'react';
import { applyFilter, EMPTY_FILTER, type LiveFilter } from '@/lib/live/filter';
import { fetchRelated } from '@/lib/live/history';
import { type LiveStream, useLiveStream } from '@/lib/live/useLiveStream';
import { ActionBar } from './ActionBar';
import { DetailPanel } from './DetailPanel';
import { EventTable } from './EventTable';
import { FilterBar } from './FilterBar';
import { useDeepLink } from './useDeepLink';

const NO_DEVICES: readonly string[] = [];

interface LiveViewProps {
  applicationId: string;
  /** A stream owned by the caller (the device page shares it with its charts). */
  stream?: LiveStream;
  /** Controlled filter, so the caller can point the table at a correlation ID. */
  filter?: LiveFilter;
  onFilter?: (f: LiveFilter) => void;
  /** Scope to one device (its page); otherwise the whole application with a device filter. */
  deviceId?: string;
  knownDevices?: readonly string[];
  title?: string;
  className?: string;
  /** Offer paging into older history (the device timeline). */
  scrollBack?: boolean;
}

export function LiveView(props: Omit<LiveViewProps, 'stream'>) {
  const stream = useLiveStream({ applicationId: props.applicationId, deviceId: props.deviceId });
  return <LiveTable {...props} stream={stream} />;
}

export function LiveTable({
  applicationId,
  deviceId,
  knownDevices = NO_DEVICES,
  title,
  className = '',
  scrollBack,
  ...p
}: LiveViewProps & { stream: LiveStream }) {
  const { stream } = p;
  const { snapshot, store } = stream;
  const [ownFilter, setOwnFilter] = useState<LiveFilter>(EMPTY_FILTER);
  const filter = p.filter ?? ownFilter;
  const setFilter = p.onFilter ?? setOwnFilter;
  const scope = useMemo(() => ({ applicationId, deviceId }), [applicationId, deviceId]);
  const link = useDeepLink(stream, scope);
  // The filter shows the whole chain, including parts older than the buffer.
  useEffect(() => {
    if (filter.correlationId)
      void fetchRelated(scope, filter.correlationId).then((rows) => store.add(rows, 'history'));
  }, [filter.correlationId, scope, store]);
  const [older, setOlder] = useState<string>();

  const shown = useMemo(() => applyFilter(snapshot.rows, filter), [snapshot.rows, filter]);
  const devices = useMemo(() => {
    const set = new Set(knownDevices);
    for (const r of snapshot.rows) if (r.kind === 'message' && r.deviceId) set.add(r.deviceId);
    return [...set].sort();
  }, [snapshot.rows, knownDevices]);

  // Arrow keys walk the rows (TTS #3719), Home/End jump to the newest/oldest; newest first.
  const [keyTarget, setKeyTarget] = useState<string>();
  const onKey = (e: KeyboardEvent) => {
    if (!['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(e.key)) return;
    const messages = shown.filter((r) => r.kind === 'message');
    // From the selected row, else from the focused one (Tab lands on the newest, unselected).
    const from = link.selectedKey ?? (document.activeElement as HTMLElement | null)?.dataset.key;
    const at = messages.findIndex((r) => r.key === from);
    const step = e.key === 'ArrowDown' ? -1 : 1;
    const next =
      e.key === 'Home' ? messages.length - 1 : e.key === 'End' ? 0 : at < 0 ? messages.length - 1 : at + step;
    const row = messages[Math.max(0, Math.min(messages.length - 1, next))];
    if (!row) return;
    e.preventDefault();
    link.select(row.key);
    setKeyTarget(row.key);
  };

  const loadOlder = async () => {
    setOlder('loading…');
    const n = await stream.loadOlder().catch(() => -1);
    setOlder(n < 0 ? 'history unavailable' : n === 0 ? 'no older events' : `${n} older events loaded`);
  };

  return (
    <div
      className={`flex min-h-0 flex-col overflow-hidden rounded-lg border border-slate-200 bg-white shadow-xs ${className}`}
      data-testid="live-view"
    >
      <ActionBar
        title={title}
        status={stream.status}
        history={stream.history}
        shown={shown}
        total={snapshot.rows.filter((r) => r.kind === 'message').length}
        dropped={snapshot.dropped}
        capacity={store.capacity}
        paused={snapshot.paused}
        pending={snapshot.pending}
        onPause={(p) => store.setPaused(p)}
        onClear={() => store.clear()}
        exportName={deviceId ? `${applicationId}_${deviceId}` : applicationId}
      />
      <FilterBar filter={filter} onChange={setFilter} devices={deviceId ? undefined : devices} />
      <div className="flex min-h-0 flex-1 max-lg:flex-col">
        {/* biome-ignore lint/a11y/noStaticElementInteractions: arrow keys move between the row buttons inside */}
        <div className="flex min-h-0 min-w-0 flex-1 flex-col" onKeyDown={onKey}>
          <EventTable
            className="flex-1"
            rows={shown}
            selectedKey={link.selectedKey}
            showDevice={!deviceId}
            onSelect={link.select}
            scrollToKey={keyTarget ?? link.scrollToKey}
            empty={
              stream.history === 'loading'
                ? 'Loading recent history…'
                : 'No events yet. They appear here as they happen.'
            }
          />
          {scrollBack && (
            <div className="flex items-center gap-3 border-t border-slate-200 px-3 py-1.5 text-xs text-slate-500">
              <button
                type="button"
                className="text-indigo-700 hover:underline"
                onClick={loadOlder}
                data-testid="load-older"
              >
                Load older events
              </button>
              {older && <span data-testid="load-older-result">{older}</span>}
            </div>
          )}
        </div>
        {link.selectedKey && (
          <DetailPanel
            event={link.selected}
            missing={link.missing}
            activeCorrelationId={filter.correlationId}
            onCorrelationId={(id) =>
              setFilter({ ...filter, correlationId: filter.correlationId === id ? '' : id })
            }
            onClose={() => link.select(undefined)}
          />
        )}
      </div>
    </div>
  );
}
