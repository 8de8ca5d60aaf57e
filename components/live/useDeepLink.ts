'use client';

import { useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useState } from 'react';
import type { LiveMessage } from '@/lib/live/event';
import { fetchRelated, type HistoryScope } from '@/lib/live/history';
import type { LiveStream } from '@/lib/live/useLiveStream';

const PARAM = 'event';

/**
 * The selected event lives in the URL (`?event=<key>`), so an event can be linked to. Opening
 * such a link pauses the stream (as TTS does); an event older than the buffer is looked up
 * through `/events/related` with the correlation ID inside its key.
 */
export function useDeepLink(stream: LiveStream, scope: HistoryScope) {
  const params = useSearchParams();
  const [selectedKey, setSelectedKey] = useState<string | undefined>(() => params.get(PARAM) ?? undefined);
  const [linked] = useState(() => params.get(PARAM) ?? undefined);
  const [lookedUp, setLookedUp] = useState(false);
  const { store, history, snapshot } = stream;

  // Pause once the history the link points into is in, so it shows rather than being held.
  useEffect(() => {
    if (linked && history !== 'loading') store.setPaused(true);
  }, [linked, history, store]);

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

  useEffect(() => {
    if (!linked || lookedUp || history === 'loading' || selected) return;
    setLookedUp(true);
    const cid = linked.split('~')[2];
    if (cid)
      void fetchRelated(scope, cid).then(
        (rows) => store.add(rows),
        () => undefined,
      );
  }, [linked, lookedUp, history, selected, store, scope]);

  return {
    selectedKey,
    selected,
    select,
    missing: Boolean(selectedKey && !selected && (selectedKey !== linked || lookedUp)),
    scrollToKey: linked,
  };
}
