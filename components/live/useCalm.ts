'use client';

import { useCallback, useMemo, useState } from 'react';
import type { LiveRow } from '@/lib/live/event';

/**
 * Calm streaming: while the user reads further down the list or has a row open, rows newer than
 * what was on screen then are held (counted, not drawn above them), so nothing moves under them
 * and a selected row never slides out of view. Only the view holds them: the store, the charts
 * and the export keep taking events. Rows from the past (history pages) still go into place.
 */
export function useCalm(rows: readonly LiveRow[], selectedKey: string | undefined) {
  const [away, setAway] = useState(false);
  const calm = away || selectedKey !== undefined;
  const newest = rows.at(-1)?.time;
  const [cutoff, setCutoff] = useState<number>();
  // Set while rendering (React's "adjust state on a prop change"), so no frame shows news first.
  if (calm && cutoff === undefined && newest !== undefined) setCutoff(newest);
  if (!calm && cutoff !== undefined) setCutoff(undefined);
  const bound = calm ? (cutoff ?? newest) : undefined;

  const shown = useMemo(() => {
    if (bound === undefined) return rows;
    // Oldest first: the held rows are a tail.
    let end = rows.length;
    while (end > 0 && (rows[end - 1]?.time ?? 0) > bound) end--;
    return end === rows.length ? rows : rows.slice(0, end);
  }, [rows, bound]);
  const held = useMemo(() => {
    let n = 0;
    for (let i = shown.length; i < rows.length; i++) if (rows[i]?.kind === 'message') n++;
    return n;
  }, [rows, shown]);

  const release = useCallback(() => {
    setAway(false);
    setCutoff(undefined);
  }, []);
  return { rows: shown, held, setAway, release };
}
