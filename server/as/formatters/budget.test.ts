import { describe, expect, it } from 'vitest';
import { createScriptBudget } from './budget';

const at = () => new Date('2026-01-01T00:00:00Z');

describe('formatter time budget', () => {
  it('suspends a script after N deadline hits in a row, for its application only', () => {
    const b = createScriptBudget(3, at);
    expect([b.record('a', 'h', true), b.record('a', 'h', true), b.record('a', 'h', true)]).toEqual([
      false,
      false,
      true,
    ]);
    expect(b.suspended('a', 'h')).toEqual({ hash: 'h', since: '2026-01-01T00:00:00.000Z', timeouts: 3 });
    expect(b.suspended('b', 'h')).toBeUndefined();
    expect(b.suspensions('b')).toEqual([]);
  });

  it('a run that finishes in time starts the count again; saving resumes', () => {
    const b = createScriptBudget(2, at);
    b.record('a', 'h', true);
    b.record('a', 'h', false);
    expect(b.record('a', 'h', true)).toBe(false);
    expect(b.record('a', 'h', true)).toBe(true);
    b.resume('a');
    expect(b.suspensions('a')).toEqual([]);
    expect(b.record('a', 'h', true)).toBe(false);
  });

  it('0 never suspends', () => {
    const b = createScriptBudget(0, at);
    for (let i = 0; i < 10; i++) expect(b.record('a', 'h', true)).toBe(false);
  });
});
