'use client';

import { useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useState } from 'react';
import type { LiveMessage } from '@/lib/live/event';
import { fetchRelated, type HistoryScope } from '@/lib/live/history';
import type { LiveStream } from '@/lib/live/useLiveStream';

const PARAM = 'event';

type Lookup = 'idle' | 'pending' | 'done';

/**
 * The selected event lives in the URL (`?event=<key>`), so an event can be linked to. Opening
 * such a link pauses the stream (as TTS does) once the event is on screen: until then it may
 * still come from the first history page, from the backfill after subscribing (history is
 * written in batches, so a just-published event can miss the first page), or from a lookup
 * through `/events/related` with the correlation ID inside its key (an event older than the
 * first page). Pausing earlier would hold it back as "new" instead of showing it.
 */
export function useDeepLink(stream: LiveStream, scope: HistoryScope) {
  const params = useSearchParams();
  const [selectedKey, setSelectedKey] = useState<string | undefined>(() => params.get(PARAM) ?? undefined);
  const [linked] = useState(() => params.get(PARAM) ?? undefined);
  const [lookup, setLookup] = useState<Lookup>('idle');
  const [arrived, setArrived] = useState(false);
  const { store, history, snapshot } = stream;
  const linkedShown = linked !== undefined && snapshot.rows.some((r) => r.key === linked);

  useEffect(() => {
    if (!linkedShown || arrived) return;
    setArrived(true);
    store.setPaused(true);
  }, [linkedShown, arrived, store]);

  useEffect(() => {
    if (!linked || lookup !== 'idle' || history === 'loading' || linkedShown) return;
    setLookup('pending');
    const cid = linked.split('~')[2];
    (cid ? fetchRelated(scope, cid) : Promise.resolve([]))
      .then((rows) => {
        store.add(rows, 'history');
        // Shown before the lookup counts as done, so "not found" never flashes.
        store.flush();
      })
      .catch(() => undefined)
      .finally(() => setLookup('done'));
  }, [linked, lookup, history, linkedShown, store, scope]);

  const select = useCallback((key: string | undefined) => {
    setSelectedKey(key);
    const url = new URL(window.location.href);
    if (key) url.searchParams.set(PARAM, key);
    else url.searchParams.delete(PARAM);
    window.history.replaceState(null, '', url);
  }, []);

  const selected = selectedKey
    ? (snapshot.rows.find((r) => r.key === selectedKey && r.kind === 'message') as LiveMessage | undefined)
    : undefined;

  return {
    selectedKey,
    selected,
    select,
    missing: Boolean(selectedKey && !selected && (selectedKey !== linked || lookup === 'done')),
    scrollToKey: linked,
  };
}
