'use client';

import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { type ConnectionStatus, openLiveConnection } from './connection';
import { fromMqtt } from './event';
import { fetchHistory, type HistoryScope } from './history';
import { type LiveSnapshot, LiveStore } from './store';

export type HistoryState = 'loading' | 'loaded' | 'unavailable';

export interface LiveStream {
  store: LiveStore;
  snapshot: LiveSnapshot;
  status: ConnectionStatus;
  history: HistoryState;
  /**
   * Fetches a page of history older than `before` (default: the oldest row held) and newer
   * than `after`; resolves to how many were new.
   */
  loadOlder: (bounds?: HistoryBounds) => Promise<number>;
  /** Fetches the newest page of history between the bounds (a time range picked). */
  loadRange: (bounds: HistoryBounds) => Promise<number>;
}

/** Milliseconds since the epoch; either may be open. */
export interface HistoryBounds {
  after?: number;
  before?: number;
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const OLDER_PAGE = 200;
/** A range's first page: a burst of a few minutes fits, and "Load older" pages on from there. */
const RANGE_PAGE = 1000;

const INITIAL_HISTORY = 200;
const CATCH_UP_MARGIN_MS = 5_000;

/**
 * Recent history first, then live over MQTT; duplicates (history overlapping live, backfill
 * after a reconnect) are dropped by the store's key. A reconnect inserts a gap marker and
 * backfills what the history API kept from the gap.
 */
export function useLiveStream(scope: HistoryScope): LiveStream {
  const { applicationId, deviceId } = scope;
  const [store] = useState(() => new LiveStore());
  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  const [history, setHistory] = useState<HistoryState>('loading');
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);

  useEffect(() => {
    const s = { applicationId, deviceId };
    let cancelled = false;
    fetchHistory(s, { limit: INITIAL_HISTORY, order: '-received_at' })
      .then((rows) => {
        if (cancelled) return;
        store.add(rows, 'history');
        setHistory('loaded');
      })
      .catch(() => !cancelled && setHistory('unavailable'));

    const catchUp = async (after: number) => {
      const rows = await fetchHistory(s, {
        after: new Date(after).toISOString(),
        order: 'received_at',
        limit: 1000,
      });
      return store.add(rows, 'history');
    };
    // What was published between a query and the subscription is only in history, and history
    // is written in batches: ask right away and once more a moment later. Duplicates drop out.
    const onSubscribed = (lostAt: number | undefined) => {
      const back = Date.now();
      const since = Math.min(lostAt ?? Date.now(), store.newest || Date.now()) - CATCH_UP_MARGIN_MS;
      void catchUp(since)
        .then(async (first) => {
          await new Promise((r) => setTimeout(r, 1500));
          return first + (cancelled ? 0 : await catchUp(since));
        })
        .then((recovered) => {
          if (lostAt === undefined || cancelled) return;
          // The marker sits where the gap was, so it goes in even while paused.
          store.add(
            [{ kind: 'gap', key: `gap~${lostAt}`, time: lostAt, from: lostAt, to: back, recovered }],
            'history',
          );
        })
        .catch(() => undefined);
    };

    const close = openLiveConnection({
      applicationId,
      filter: deviceId ? `v3/${applicationId}/devices/${deviceId}/#` : `v3/${applicationId}/#`,
      onMessage: (topic, payload) => {
        const row = fromMqtt(topic, payload);
        if (row) store.add([row]);
      },
      onStatus: setStatus,
      onSubscribed,
    });
    return () => {
      cancelled = true;
      close();
    };
  }, [applicationId, deviceId, store]);

  const loadOlder = useCallback(
    async (bounds: HistoryBounds = {}) => {
      const oldest = store.getSnapshot().rows.find((r) => r.kind === 'message');
      const at = bounds.before ?? oldest?.time;
      // Up to and including the oldest row's millisecond: rows of that same millisecond not yet
      // shown are older in history's order too; the ones shown are dropped by the store's key.
      const before = at === undefined ? undefined : at + 1;
      const rows = await fetchHistory(
        { applicationId, deviceId },
        { before: iso(before), after: iso(bounds.after), limit: OLDER_PAGE, order: '-received_at' },
      );
      return store.add(rows, 'history');
    },
    [applicationId, deviceId, store],
  );

  const loadRange = useCallback(
    async (bounds: HistoryBounds) => {
      const rows = await fetchHistory(
        { applicationId, deviceId },
        { after: iso(bounds.after), before: iso(bounds.before), limit: RANGE_PAGE, order: '-received_at' },
      );
      return store.add(rows, 'history');
    },
    [applicationId, deviceId, store],
  );

  return { store, snapshot, status, history, loadOlder, loadRange };
}
