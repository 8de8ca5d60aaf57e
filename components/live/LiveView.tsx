'use client';

import {
  type KeyboardEvent,
  useCallback,
  useDeferredValue,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { countMessages } from '@/lib/live/event';
import { applyFilter, describeFilter, EMPTY_FILTER, isFiltering, type LiveFilter } from '@/lib/live/filter';
import { fetchRelatedPage } from '@/lib/live/history';
import { inRange, RECENT, type TimeRange } from '@/lib/live/range';
import { type LiveStream, useLiveStream } from '@/lib/live/useLiveStream';
import { ActionBar } from './ActionBar';
import { DetailPanel } from './DetailPanel';
import { EventTable } from './EventTable';
import { FilterBar } from './FilterBar';
import { OlderHistory } from './OlderHistory';
import { useCalm } from './useCalm';
import { useDebounced } from './useDebounced';
import { useDeepLink } from './useDeepLink';

const NO_DEVICES: readonly string[] = [];
/** Typing a correlation ID asks history once per pause, not once per key. */
const CID_DEBOUNCE_MS = 300;
/** A prefix as short as `as:` matches most of history: the filter reads this many at most. */
const RELATED_LIMIT = 500;

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
  /** Offer paging into older history and a time range. */
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
  const { store } = stream;
  // Rows, counts and the table are drawn from a deferred copy of the buffer: one render React
  // can interrupt and split, and one layout and paint per flush. Pause and its count stay
  // current (`stream.snapshot`), so the button answers at once.
  const snapshot = useDeferredValue(stream.snapshot);
  const [ownFilter, setOwnFilter] = useState<LiveFilter>(EMPTY_FILTER);
  const typed = p.filter ?? ownFilter;
  const setFilter = p.onFilter ?? setOwnFilter;
  const correlationId = useDebounced(typed.correlationId, CID_DEBOUNCE_MS);
  const filter = useMemo(() => ({ ...typed, correlationId }), [typed, correlationId]);
  const scope = useMemo(() => ({ applicationId, deviceId }), [applicationId, deviceId]);
  const link = useDeepLink(stream, scope);
  const [range, setRange] = useState<TimeRange>(RECENT);

  // The filter shows the whole chain, including parts older than the buffer. A prefix whose
  // answer was complete already holds every match of a longer one: typing on asks nothing more.
  const [searching, setSearching] = useState(false);
  const complete = useRef(new Set<string>());
  useEffect(() => {
    const where = `${scope.applicationId}/${scope.deviceId ?? ''}/`;
    const known = [...complete.current].some((p) => `${where}${correlationId}`.startsWith(p));
    setSearching(correlationId !== '' && !known);
    if (!correlationId || known) return;
    const abort = new AbortController();
    fetchRelatedPage(scope, correlationId, { prefix: true, limit: RELATED_LIMIT, signal: abort.signal })
      .then((page) => {
        store.add(page.rows, 'history');
        if (page.complete) complete.current.add(`${where}${correlationId}`);
      })
      .catch(() => undefined)
      .finally(() => !abort.signal.aborted && setSearching(false));
    return () => abort.abort();
  }, [correlationId, scope, store]);

  const filtered = useMemo(() => {
    const rows = applyFilter(snapshot.rows, filter);
    return range.choice === 'recent' ? rows : rows.filter((r) => inRange(r.time, range));
  }, [snapshot.rows, filter, range]);
  const calm = useCalm(filtered, link.selectedKey);
  const shown = calm.rows;
  const devices = useMemo(() => {
    const set = new Set(knownDevices);
    for (const r of snapshot.rows) if (r.kind === 'message' && r.deviceId) set.add(r.deviceId);
    return [...set].sort();
  }, [snapshot.rows, knownDevices]);

  const { selectedKey, select } = link;
  const { release } = calm;
  // Stable, so the memoized table is not drawn again for a new callback.
  const showHeld = useCallback(() => {
    select(undefined);
    release();
  }, [select, release]);

  // Escape closes the details and puts focus back on the row they were opened from.
  useEffect(() => {
    if (!selectedKey) return;
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      select(undefined);
      const row = document.querySelector<HTMLElement>(
        `[data-testid="event-row"][data-key="${CSS.escape(selectedKey)}"]`,
      );
      row?.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [selectedKey, select]);

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

  const empty =
    stream.history === 'loading'
      ? 'Loading recent history…'
      : isFiltering(filter)
        ? searching
          ? 'Searching history…'
          : `No events match ${describeFilter(filter)}.`
        : range.choice !== 'recent'
          ? 'No events in this time range.'
          : 'No events yet. They appear here as they happen.';

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
        messages={shown === snapshot.rows ? snapshot.messages : countMessages(shown)}
        total={snapshot.messages}
        dropped={snapshot.dropped}
        capacity={store.capacity}
        paused={stream.snapshot.paused}
        pending={stream.snapshot.pending}
        onPause={(p) => store.setPaused(p)}
        onClear={() => store.clear()}
        exportName={deviceId ? `${applicationId}_${deviceId}` : applicationId}
      />
      <FilterBar filter={typed} onChange={setFilter} devices={deviceId ? undefined : devices} />
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
            empty={empty}
            onAwayFromTop={calm.setAway}
            held={calm.held}
            onShowHeld={showHeld}
          />
          {scrollBack && <OlderHistory stream={stream} rows={shown} range={range} onRange={setRange} />}
        </div>
        {link.selectedKey && (
          <DetailPanel
            event={link.selected}
            missing={link.missing}
            activeCorrelationId={filter.correlationId}
            onCorrelationId={(id) =>
              setFilter({ ...typed, correlationId: typed.correlationId === id ? '' : id })
            }
            onClose={() => link.select(undefined)}
          />
        )}
      </div>
    </div>
  );
}
