import { describe, expect, it } from 'vitest';
import { isLoopback, KeyedRateLimiter, TokenBucket } from './rate-limit';

describe('TokenBucket (time passed in, so no sleeping)', () => {
  it('allows a burst, then refills at the rate', () => {
    const b = new TokenBucket({ perSecond: 10, burst: 3 }, 0);
    expect([b.take(0), b.take(0), b.take(0), b.take(0)]).toEqual([true, true, true, false]);
    expect(b.waitMs(0)).toBe(100);
    expect(b.take(100)).toBe(true);
    expect(b.take(100)).toBe(false);
    expect(b.isFull(10_000)).toBe(true);
  });

  it('keyed: one bucket per key, full ones pruned', () => {
    const l = new KeyedRateLimiter({ perSecond: 1, burst: 1 });
    expect([l.take('a', 0), l.take('a', 0), l.take('b', 0)]).toEqual([true, false, true]);
    l.prune(5_000);
    expect(l.take('a', 5_000)).toBe(true);
  });

  it.each([
    ['127.0.0.1', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['10.0.0.1', false],
    ['::ffff:192.168.1.1', false],
  ])('isLoopback(%s) = %s', (address, want) => {
    expect(isLoopback(address)).toBe(want);
  });
});
