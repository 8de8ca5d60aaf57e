'use client';

import { useVirtualizer } from '@tanstack/react-virtual';
import { type CSSProperties, memo, useEffect, useRef } from 'react';
import type { LiveRow } from '@/lib/live/event';
import { dateIfNotToday } from '@/lib/live/when';
import { CARD_HEIGHT, EventRow, GapRow, isTall, ROW_HEIGHT, TALL_EXTRA } from './EventRow';
import { NewEventsButton } from './NewEventsButton';
import { useNarrow } from './useNarrow';

interface EventTableProps {
  /** Oldest first; shown newest first. */
  rows: readonly LiveRow[];
  selectedKey?: string;
  showDevice: boolean;
  onSelect: (key: string) => void;
  /** Scroll to this row once it is present (deep links). */
  scrollToKey?: string;
  empty: string;
  className?: string;
  /** Told when the list leaves its top or comes back to it (calm streaming). */
  onAwayFromTop?: (away: boolean) => void;
  /** Events held back above the user's position, and how to get to them. */
  held?: number;
  onShowHeld?: () => void;
}

/**
 * Presentational and virtualized: only visible rows are in the DOM. Every row's height is known
 * from what it shows (EventRow's isTall), so nothing is measured as rows arrive.
 */
export const EventTable = memo(function EventTable({
  rows,
  selectedKey,
  showDevice,
  onSelect,
  scrollToKey,
  empty,
  className = '',
  onAwayFromTop,
  held = 0,
  onShowHeld,
}: EventTableProps) {
  const parent = useRef<HTMLElement>(null);
  const count = rows.length;
  const rowHeight = useNarrow() ? CARD_HEIGHT : ROW_HEIGHT;
  const v = useVirtualizer({
    count,
    getScrollElement: () => parent.current,
    estimateSize: (i) => {
      const row = rows[count - 1 - i];
      return row && isTall(row) ? rowHeight + TALL_EXTRA : rowHeight;
    },
    // At hundreds of events a second every drawn row is new each frame, so each row drawn beyond
    // the view costs frame time (20 a side made frames of 30-45 ms); a few keep arrow keys and a
    // fast wheel from meeting blank space.
    overscan: 4,
    // The virtualizer's own default key (the index) for an index it should never ask for.
    getItemKey: (i) => rows[count - 1 - i]?.key ?? i,
  });

  // The target row is kept in view while rows still arrive around it (a deep link's backfill
  // inserts older rows above it), until the user scrolls for themselves.
  const found = scrollToKey ? rows.findIndex((r) => r.key === scrollToKey) : -1;
  const targetIndex = found < 0 ? -1 : count - 1 - found;
  const followed = useRef<{ key?: string; index: number; user: boolean }>({ index: -1, user: false });
  useEffect(() => {
    const f = followed.current;
    if (f.key !== scrollToKey) followed.current = { key: scrollToKey, index: -1, user: false };
    const now = followed.current;
    if (targetIndex < 0 || now.user || now.index === targetIndex) return;
    now.index = targetIndex;
    v.scrollToIndex(targetIndex, { align: 'auto' });
  }, [targetIndex, scrollToKey, v]);
  useEffect(() => v.measure(), [rowHeight, v]);

  // Keyboard focus follows the selection (arrow keys select), once the row is rendered.
  const tabbableKey =
    selectedKey !== undefined && rows.some((r) => r.key === selectedKey) ? selectedKey : rows.at(-1)?.key;
  const items = v.getVirtualItems();
  // Scrolled away from that row, the list itself takes the Tab stop, and arrow keys bring focus back.
  const tabbableShown = items.some((item) => item.key === tabbableKey);
  useEffect(() => {
    const box = parent.current;
    if (!box || !selectedKey || !box.contains(document.activeElement)) return;
    if ((document.activeElement as HTMLElement).dataset.key === selectedKey) return;
    box.querySelector<HTMLElement>(`[data-key="${CSS.escape(selectedKey)}"]`)?.focus({ preventScroll: true });
  });

  const userScrolls = () => {
    followed.current.user = true;
  };
  const away = useRef(false);
  const onScroll = () => {
    const now = (parent.current?.scrollTop ?? 0) > rowHeight / 2;
    if (now === away.current) return;
    away.current = now;
    onAwayFromTop?.(now);
  };
  const showHeld = () => {
    parent.current?.scrollTo({ top: 0 });
    away.current = false;
    onShowHeld?.();
  };

  // The oldest row decides whether times need their date beside them.
  const oldest = rows[0];
  const date = oldest ? dateIfNotToday(oldest.time) : undefined;
  const style = {
    '--dev-col': showDevice ? '11rem' : '0rem',
    '--time-col': date ? `calc(7.5rem + ${date.length + 1}ch)` : '7.5rem',
  } as CSSProperties;
  return (
    <div className={`relative flex min-h-0 flex-col ${className}`} style={style}>
      <div className="grid grid-cols-[var(--time-col)_var(--dev-col)_7.5rem_1fr] gap-3 border-b max-sm:hidden border-slate-200 bg-slate-50 px-3 py-1.5 text-[11px] font-semibold tracking-wide text-slate-500 uppercase">
        <span>Time</span>
        <span>{showDevice ? 'Device' : ''}</span>
        <span>Type</span>
        <span>Data</span>
      </div>
      {held > 0 && <NewEventsButton count={held} onClick={showHeld} />}
      <section
        ref={parent}
        className="min-h-0 flex-1 overflow-auto"
        data-testid="event-table"
        aria-label="Events, newest first. Up and down arrow keys move between them; Enter shows one."
        aria-keyshortcuts="ArrowUp ArrowDown Home End"
        tabIndex={count > 0 && !tabbableShown ? 0 : -1}
        onScroll={onScroll}
        onWheel={userScrolls}
        onTouchMove={userScrolls}
        onPointerDown={userScrolls}
      >
        {count === 0 ? (
          <p className="p-6 text-center text-sm text-slate-500" data-testid="event-table-empty">
            {empty}
          </p>
        ) : (
          <div className="relative w-full" style={{ height: v.getTotalSize() }}>
            {items.map((item) => {
              const row = rows[count - 1 - item.index];
              // An item the virtualizer measured for a longer list than this render's.
              if (!row) return null;
              return (
                <div
                  key={item.key}
                  className="absolute top-0 left-0 flex w-full flex-col"
                  style={{ height: item.size, transform: `translateY(${item.start}px)` }}
                >
                  {row.kind === 'gap' ? (
                    <GapRow row={row} />
                  ) : (
                    <EventRow
                      row={row}
                      selected={row.key === selectedKey}
                      tabbable={row.key === tabbableKey}
                      showDevice={showDevice}
                      onSelect={onSelect}
                    />
                  )}
                </div>
              );
            })}
          </div>
        )}
      </section>
    </div>
  );
});
