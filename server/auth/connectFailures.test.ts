import { describe, expect, it } from 'vitest';
import { createConnectFailures } from './connectFailures';

const options = { maxFailures: 3, windowMs: 60_000, firstDelayMs: 250, maxDelayMs: 4_000 };

describe('connect failures per (IP, username)', () => {
  it('answers at once up to the limit, then doubles the delay up to its cap', () => {
    const f = createConnectFailures(options);
    const delays = Array.from({ length: 10 }, (_, i) => f.fail('10.0.0.1', 'app1', i));
    expect(delays).toEqual([0, 0, 0, 250, 500, 1000, 2000, 4000, 4000, 4000]);
  });

  it('counts each username and each address apart', () => {
    const f = createConnectFailures(options);
    for (let i = 0; i < 5; i++) f.fail('10.0.0.1', 'app1', i);
    expect(f.fail('10.0.0.1', 'app2', 5)).toBe(0);
    expect(f.fail('10.0.0.2', 'app1', 5)).toBe(0);
    expect(f.fail('10.0.0.1', 'app1', 5)).toBe(1000);
  });

  it('forgets failures once they are a window old', () => {
    const f = createConnectFailures(options);
    for (let i = 0; i < 8; i++) f.fail('10.0.0.1', 'app1', i);
    expect(f.fail('10.0.0.1', 'app1', 60_100)).toBe(0);
  });

  it('0 failures turns it off', () => {
    const f = createConnectFailures({ ...options, maxFailures: 0 });
    for (let i = 0; i < 20; i++) expect(f.fail('10.0.0.1', 'app1', i)).toBe(0);
  });
});
