import { afterEach, describe, expect, it, vi } from 'vitest';
import { countMessages, type LiveMessage, type LiveRow, toLiveMessage } from './event';
import { FLUSH_GAP_MS, LiveStore, paced } from './store';

/** A store whose flushes run only when the test says so. */
function manual(capacity = 5) {
  let pending: (() => void) | undefined;
  const store = new LiveStore(capacity, (f) => {
    pending = f;
  });
  return { store, frame: () => pending?.() };
}

const up = (n: number, cid = `as:up:${n}`): LiveMessage =>
  toLiveMessage({
    end_device_ids: { device_id: 'dev1' },
    correlation_ids: [cid],
    received_at: new Date(1_700_000_000_000 + n * 1000).toISOString(),
    uplink_message: { f_port: 1, f_cnt: n },
  }) as LiveMessage;

const fcnts = (store: LiveStore) =>
  store
    .getSnapshot()
    .rows.map((r) => (r.kind === 'message' ? (r.message.uplink_message as { f_cnt: number }).f_cnt : -1));

describe('LiveStore', () => {
  it('publishes a batch once per frame, in time order', () => {
    const { store, frame } = manual();
    let renders = 0;
    store.subscribe(() => renders++);
    store.add([up(3)]);
    store.add([up(1), up(2)]);
    expect(store.getSnapshot().rows).toHaveLength(0);
    frame();
    expect(renders).toBe(1);
    expect(fcnts(store)).toEqual([1, 2, 3]);
  });

  it('drops duplicates: history overlapping live, and a replay after clear', () => {
    const { store, frame } = manual();
    store.add([up(1), up(2)]);
    frame();
    expect(store.add([up(2), up(3)])).toBe(1);
    frame();
    store.clear();
    expect(store.add([up(3)])).toBe(0);
    expect(fcnts(store)).toEqual([]);
  });

  it('re-sorts when older rows arrive after newer ones', () => {
    const { store, frame } = manual();
    store.add([up(5)]);
    frame();
    store.add([up(2), up(4)]);
    frame();
    expect(fcnts(store)).toEqual([2, 4, 5]);
  });

  it('caps the buffer and counts the rows dropped', () => {
    const { store, frame } = manual(3);
    store.add([1, 2, 3, 4, 5].map((n) => up(n)));
    frame();
    expect(fcnts(store)).toEqual([3, 4, 5]);
    expect(store.getSnapshot().dropped).toBe(2);
  });

  it('holds rows while paused and releases all of them on resume', () => {
    const { store, frame } = manual();
    store.add([up(1)]);
    frame();
    store.setPaused(true);
    store.add([up(2), up(3)]);
    frame();
    expect(fcnts(store)).toEqual([1]);
    expect(store.getSnapshot().pending).toBe(2);
    store.setPaused(false);
    expect(fcnts(store)).toEqual([1, 2, 3]);
    expect(store.getSnapshot().pending).toBe(0);
  });
});

describe('LiveStore pause', () => {
  it('shows rows that arrived before the pause', () => {
    const { store } = manual();
    store.add([up(1), up(2)]);
    store.setPaused(true);
    expect(fcnts(store)).toEqual([1, 2]);
    expect(store.getSnapshot().pending).toBe(0);
  });
});

describe('LiveStore rows from history while paused', () => {
  it('puts rows older than the newest on screen in their place, and holds newer ones', () => {
    const { store, frame } = manual(10);
    store.add([up(5), up(6)]);
    store.setPaused(true);
    store.add([up(2), up(3), up(7)], 'history');
    store.add([up(8)]);
    frame();
    expect(fcnts(store)).toEqual([2, 3, 5, 6]);
    expect(store.getSnapshot().pending).toBe(2);
    store.setPaused(false);
    expect(fcnts(store)).toEqual([2, 3, 5, 6, 7, 8]);
  });

  it('holds live rows however old their time', () => {
    const { store, frame } = manual(10);
    store.add([up(5)]);
    store.setPaused(true);
    store.add([up(4)]);
    frame();
    expect(fcnts(store)).toEqual([5]);
    expect(store.getSnapshot().pending).toBe(1);
  });
});

describe('LiveStore message count', () => {
  const gap = (n: number): LiveRow => ({
    kind: 'gap',
    key: `gap~${n}`,
    time: 1_700_000_000_000 + n * 1000,
    from: 0,
    to: 0,
    recovered: 0,
  });
  const counted = (store: LiveStore) => {
    const s = store.getSnapshot();
    return [s.messages, countMessages(s.rows)];
  };

  it('counts the events among the rows through eviction, re-sorting and clear', () => {
    const { store, frame } = manual(4);
    store.add([up(1), gap(2), up(3)]);
    frame();
    expect(counted(store)).toEqual([2, 2]);
    store.add([up(4), up(5), up(6)]);
    frame();
    expect(counted(store)).toEqual([4, 4]);
    store.add([gap(7), up(8)]);
    frame();
    expect(counted(store)).toEqual([3, 3]);
    store.add([up(0), gap(5.5)], 'history');
    frame();
    expect(counted(store)).toEqual([2, 2]);
    store.clear();
    expect(counted(store)).toEqual([0, 0]);
  });
});

describe('paced', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('flushes a lone batch on the next frame, and one streaming batch per gap', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] });
    const frames: (() => void)[] = [];
    const schedule = paced(FLUSH_GAP_MS, (f) => frames.push(f));
    let flushes = 0;
    const flush = () => flushes++;

    schedule(flush);
    expect(frames).toHaveLength(1);
    frames.shift()?.();
    expect(flushes).toBe(1);

    vi.advanceTimersByTime(10);
    schedule(flush);
    expect(frames).toHaveLength(0);
    vi.advanceTimersByTime(FLUSH_GAP_MS - 11);
    expect(frames).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(frames).toHaveLength(1);
    frames.shift()?.();
    expect(flushes).toBe(2);

    vi.advanceTimersByTime(FLUSH_GAP_MS);
    schedule(flush);
    expect(frames).toHaveLength(1);
  });
});
