'use client';

import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { type ConnectionStatus, openLiveConnection } from './connection';
import { fromMqtt, type GapMarker } from './event';
import { fetchHistory, type HistoryScope } from './history';
import { type LiveSnapshot, LiveStore } from './store';

export type HistoryState = 'loading' | 'loaded' | 'unavailable';

export interface LiveStream {
  store: LiveStore;
  snapshot: LiveSnapshot;
  status: ConnectionStatus;
  history: HistoryState;
  /** Fetches a page of history older than the oldest row held; resolves to how many were new. */
  loadOlder: () => Promise<number>;
}

const INITIAL_HISTORY = 200;

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
        store.add(rows);
        setHistory('loaded');
      })
      .catch(() => !cancelled && setHistory('unavailable'));

    const backfill = async (lostAt: number) => {
      const after = new Date(Math.min(store.newest || lostAt, lostAt)).toISOString();
      const rows = await fetchHistory(s, { after, order: 'received_at', limit: 1000 }).catch(() => []);
      const recovered = store.add(rows);
      const now = Date.now();
      const gap: GapMarker = {
        kind: 'gap',
        key: `gap~${lostAt}`,
        time: lostAt,
        from: lostAt,
        to: now,
        recovered,
      };
      store.add([gap]);
    };

    const close = openLiveConnection({
      applicationId,
      filter: deviceId ? `v3/${applicationId}/devices/${deviceId}/#` : `v3/${applicationId}/#`,
      onMessage: (topic, payload) => {
        const row = fromMqtt(topic, payload);
        if (row) store.add([row]);
      },
      onStatus: setStatus,
      onReconnected: (lostAt) => void backfill(lostAt),
    });
    return () => {
      cancelled = true;
      close();
    };
  }, [applicationId, deviceId, store]);

  const loadOlder = useCallback(async () => {
    const oldest = store.getSnapshot().rows.find((r) => r.kind === 'message');
    const before = oldest ? new Date(oldest.time).toISOString() : undefined;
    const rows = await fetchHistory(
      { applicationId, deviceId },
      { before, limit: 200, order: '-received_at' },
    );
    return store.add(rows);
  }, [applicationId, deviceId, store]);

  return { store, snapshot, status, history, loadOlder };
}
