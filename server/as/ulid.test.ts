import { decodeTime, monotonicFactory } from 'ulid';
import { describe, expect, it } from 'vitest';
import { ulidFactory } from './ulid';

const CROCKFORD = /^[0-9A-HJKMNP-TV-Z]{26}$/;

describe('ulidFactory', () => {
  it('makes 26 Crockford base32 characters whose time part is the clock (as the ulid package reads it)', () => {
    const t = Date.UTC(2026, 10, 25, 12, 0, 0, 123);
    const id = ulidFactory(() => t)();
    expect(id).toMatch(CROCKFORD);
    expect(decodeTime(id)).toBe(t);
    // Same time prefix as the reference implementation.
    expect(id.slice(0, 10)).toBe(monotonicFactory()(t).slice(0, 10));
  });

  it('sorts in the order made within one millisecond, across milliseconds, and if the clock steps back', () => {
    let t = 1_700_000_000_000;
    const next = ulidFactory(() => t);
    const ids: string[] = [];
    for (let i = 0; i < 5_000; i++) {
      if (i % 1000 === 999) t += 1;
      if (i === 2_500) t -= 5;
      ids.push(next());
    }
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('carries the increment across characters', () => {
    const next = ulidFactory(() => 42);
    const ids = Array.from({ length: 70_000 }, () => next());
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('uses fresh randomness each millisecond', () => {
    let t = 1;
    const next = ulidFactory(() => t);
    const randoms = new Set<string>();
    for (let i = 0; i < 1000; i++, t++) randoms.add(next().slice(10));
    expect(randoms.size).toBe(1000);
  });
});
