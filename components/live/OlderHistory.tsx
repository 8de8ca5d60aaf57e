'use client';

import { useEffect, useState } from 'react';
import type { LiveRow } from '@/lib/live/event';
import type { TimeRange } from '@/lib/live/range';
import type { LiveStream } from '@/lib/live/useLiveStream';
import { RangeControl } from './RangeControl';
import { useDebounced } from './useDebounced';

interface OlderHistoryProps {
  stream: LiveStream;
  /** The rows shown, oldest first: "Load older" continues below the last one. */
  rows: readonly LiveRow[];
  range: TimeRange;
  onRange: (r: TimeRange) => void;
}

const plural = (n: number, one: string) => `${n.toLocaleString('en')} ${one}${n === 1 ? '' : 's'}`;

/**
 * The end of the list: the application's (or device's) older history a page at a time, and a
 * time range that loads its newest page at once — more than the 200 events the table opens
 * with, which a burst fills in seconds.
 */
export function OlderHistory({ stream, rows, range, onRange }: OlderHistoryProps) {
  const [result, setResult] = useState<string>();
  const { loadOlder, loadRange } = stream;

  // A custom range is typed a field at a time: load once it settles.
  const settled = useDebounced(range, 300);
  useEffect(() => {
    if (settled.choice === 'recent') return;
    let live = true;
    setResult('loading…');
    loadRange({ after: settled.from, before: settled.to })
      .then((n) => live && setResult(n === 0 ? 'nothing new in this range' : `${plural(n, 'event')} loaded`))
      .catch(() => live && setResult('history unavailable'));
    return () => {
      live = false;
    };
  }, [settled, loadRange]);

  const older = async () => {
    setResult('loading…');
    const oldest = rows.find((r) => r.kind === 'message');
    const bounded = range.choice !== 'recent';
    const n = await loadOlder({
      before: bounded ? (oldest?.time ?? range.to) : undefined,
      after: range.from,
    }).catch(() => -1);
    setResult(
      n < 0 ? 'history unavailable' : n === 0 ? 'no older events' : `${plural(n, 'older event')} loaded`,
    );
  };

  return (
    <div className="flex flex-wrap items-center gap-3 border-t border-slate-200 px-3 py-1.5 text-xs text-slate-500">
      <RangeControl range={range} onChange={onRange} />
      <button
        type="button"
        className="text-indigo-700 hover:underline"
        onClick={older}
        data-testid="load-older"
      >
        Load older events
      </button>
      {result && (
        <span data-testid="load-older-result" aria-live="polite">
          {result}
        </span>
      )}
    </div>
  );
}
