import type { LiveRow } from './event';
import { Ring } from './ring';

/**
 * The live table's external store (STYLE §11): rows are buffered as they arrive and flushed
 * into a capped ring on an animation frame, at most one flush per FLUSH_GAP_MS while they
 * stream, so hundreds of events per second cost ten React renders a second. Pausing holds new
 * rows back ("N new") instead of dropping them; rows fetched from history that are older than
 * the newest row on screen are the past, not news, and go into their place even while paused (a
 * deep link's lookup, "load older", a reconnect's backfill).
 */
export interface LiveSnapshot {
  /** Oldest first. */
  rows: readonly LiveRow[];
  /** How many of `rows` are events (not gap markers): kept as rows come and go, not counted. */
  messages: number;
  /** Rows evicted by the cap since the last clear. */
  dropped: number;
  /** Rows held back while paused. */
  pending: number;
  paused: boolean;
}

export const DEFAULT_CAPACITY = 10_000;

type Schedule = (flush: () => void) => void;

/** Where rows come from: MQTT as they happen, or the history API (which may reach into the past). */
export type RowOrigin = 'live' | 'history';

/**
 * A lone event shows on the next frame; while events stream, a flush waits until this long
 * after the last one. Each flush is a render, a layout and a paint of the table whatever the
 * batch's size (the rows drawn are the ones in view), so at hundreds of events a second the
 * page's CPU follows the flush rate, not the event rate; ten a second still reads as live.
 */
export const FLUSH_GAP_MS = 100;

const frame: Schedule = (flush) => {
  // rAF does not run in hidden tabs; the timeout keeps the batch from growing without bound.
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    flush();
  };
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(once);
  setTimeout(once, 250);
};

/** On a frame, and no sooner than `gapMs` after the previous flush this schedule ran. */
export function paced(gapMs = FLUSH_GAP_MS, next: Schedule = frame): Schedule {
  let last = Number.NEGATIVE_INFINITY;
  return (flush) => {
    const run = () => {
      last = performance.now();
      flush();
    };
    const wait = last + gapMs - performance.now();
    if (wait <= 0) next(run);
    else setTimeout(() => next(run), wait);
  };
}

export class LiveStore {
  private readonly ring: Ring<LiveRow>;
  private readonly seen = new Set<string>();
  private incoming: LiveRow[] = [];
  /** Rows from history not yet flushed; split at flush time into the past and news. */
  private fetched: LiveRow[] = [];
  private held: LiveRow[] = [];
  private scheduled = false;
  private listeners = new Set<() => void>();
  private snapshot: LiveSnapshot = { rows: [], messages: 0, dropped: 0, pending: 0, paused: false };
  private dropped = 0;
  private messages = 0;
  private paused = false;
  /** Client time of the pause: the past/news boundary while nothing is on screen. */
  private pausedAt = 0;
  /** Newest event time ever accepted: where a reconnect's history backfill starts. */
  newest = 0;

  constructor(
    readonly capacity = DEFAULT_CAPACITY,
    private readonly schedule: Schedule = paced(),
  ) {
    this.ring = new Ring(capacity);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): LiveSnapshot => this.snapshot;

  /** Adds rows (any order); ones already seen are ignored. Returns how many were new. */
  add(rows: readonly LiveRow[], origin: RowOrigin = 'live'): number {
    const into = origin === 'live' ? this.incoming : this.fetched;
    let added = 0;
    for (const row of rows) {
      if (this.seen.has(row.key)) continue;
      this.remember(row.key);
      into.push(row);
      if (row.kind === 'message' && row.time > this.newest) this.newest = row.time;
      added++;
    }
    if (added > 0) this.request();
    return added;
  }

  setPaused(paused: boolean): void {
    if (paused === this.paused) return;
    // Rows that arrived before the click are shown; only later ones are held.
    if (paused) this.flush();
    this.paused = paused;
    this.pausedAt = Date.now();
    if (!paused) {
      this.incoming = this.held.concat(this.incoming);
      this.held = [];
    }
    this.flush();
  }

  clear(): void {
    this.ring.clear();
    this.messages = 0;
    this.held = [];
    this.incoming = [];
    this.fetched = [];
    this.dropped = 0;
    this.flush();
  }

  /** Remembers keys beyond the buffer too, so a late duplicate of a cleared row stays out. */
  private remember(key: string): void {
    this.seen.add(key);
    if (this.seen.size > this.capacity * 3) {
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
  }

  private request(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => this.flush());
  }

  flush(): void {
    this.scheduled = false;
    const batch = this.incoming;
    const fetched = this.fetched;
    this.incoming = [];
    this.fetched = [];
    if (this.paused) {
      const boundary = this.ring.last()?.time ?? this.pausedAt;
      const past = fetched.filter((r) => r.time <= boundary);
      this.append(past);
      this.held.push(...fetched.filter((r) => r.time > boundary), ...batch);
      const over = this.held.length - this.capacity;
      if (over > 0) {
        this.held.splice(0, over);
        this.dropped += over;
      }
    } else {
      this.append(fetched.concat(batch));
    }
    this.snapshot = {
      rows: this.ring.toArray(),
      messages: this.messages,
      dropped: this.dropped,
      pending: this.held.length,
      paused: this.paused,
    };
    for (const l of this.listeners) l();
  }

  /** Appends in time order; a batch older than the newest row (history, backfill) re-sorts. */
  private append(batch: LiveRow[]): void {
    batch.sort((a, b) => a.time - b.time);
    const first = batch[0];
    if (first === undefined) return;
    const last = this.ring.last();
    let rows = batch;
    if (last && first.time < last.time) {
      rows = this.ring.toArray().concat(batch);
      rows.sort((a, b) => a.time - b.time);
      this.ring.clear();
      this.messages = 0;
    }
    for (const row of rows) {
      if (row.kind === 'message') this.messages++;
      const evicted = this.ring.push(row);
      if (evicted === undefined) continue;
      this.dropped++;
      if (evicted.kind === 'message') this.messages--;
    }
  }
}
