import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RadioMetadata } from '../ns/ports';
import { createMerger } from './merge';
import type { PendingUp } from './outcomes';

// The merger reads only a radio's gateway identity and never looks into the copies it carries.
const radio = (eui: string) => ({ gatewayIds: { gateway_id: `gw-${eui}`, eui } }) as unknown as RadioMetadata;
const up = (eui: string) => ({ eui }) as unknown as PendingUp;
const frame = (n: number) => Uint8Array.of(0x40, n & 0xff, n >> 8);

describe('merge window', () => {
  beforeEach(() => {
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance'],
    });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('hands a frame over with the copies heard in its window, once', () => {
    const delivered: { frame: number; gateways: string[] }[] = [];
    const merger = createMerger((phy, radios) => {
      delivered.push({ frame: phy[1] ?? -1, gateways: radios.map((r) => r.gatewayIds.eui ?? '') });
    }, 200);
    merger.add(frame(1), radio('a'), up('a'));
    vi.advanceTimersByTime(150);
    merger.add(frame(1), radio('b'), up('b'));
    merger.add(frame(1), radio('b'), up('b'));
    expect(delivered).toEqual([]);
    vi.advanceTimersByTime(60);
    expect(delivered).toEqual([{ frame: 1, gateways: ['a', 'b'] }]);
    expect(merger.pending()).toBe(0);
  });

  it('under light traffic, a frame waits its window and no sweep interval on top', () => {
    const at: number[] = [];
    const merger = createMerger(() => at.push(performance.now()), 200);
    const t0 = performance.now();
    merger.add(frame(1), radio('a'), up('a'));
    vi.advanceTimersByTime(3);
    merger.add(frame(2), radio('a'), up('a'));
    vi.advanceTimersByTime(210);
    // Each closed as its own window did (a fixed 10 ms sweep handed the second over at 210 ms).
    expect(at.map((t) => Math.round(t - t0))).toEqual([200, 203]);
  });

  it('under heavy traffic, frames closing close together are handed over together', () => {
    const sweeps = new Map<number, number>();
    const merger = createMerger(() => {
      const now = performance.now();
      sweeps.set(now, (sweeps.get(now) ?? 0) + 1);
    }, 200);
    // 5 000 frames/s for 100 ms.
    for (let i = 0; i < 500; i++) {
      merger.add(frame(i), radio('a'), up('a'));
      if (i % 5 === 4) vi.advanceTimersByTime(1);
    }
    vi.advanceTimersByTime(300);
    const handed = [...sweeps.values()];
    expect(handed.reduce((a, b) => a + b, 0)).toBe(500);
    // Batches grow to ~10 ms of traffic (50 frames) rather than one turn per millisecond.
    expect(handed.length).toBeLessThanOrEqual(20);
    expect(Math.max(...handed)).toBeGreaterThanOrEqual(40);
  });
});
