import { describe, expect, it } from 'vitest';
import { dateIfNotToday } from './when';

describe('dateIfNotToday', () => {
  const now = new Date(2026, 11, 2, 9, 30);
  it('leaves the date out for today, shows it otherwise in the given locale', () => {
    expect(dateIfNotToday(new Date(2026, 11, 2, 0, 0, 1).getTime(), now)).toBeUndefined();
    expect(dateIfNotToday(new Date(2026, 11, 1, 23, 59).getTime(), now, 'en-US')).toBe('Dec 1');
    expect(dateIfNotToday(new Date(2026, 11, 1, 23, 59).getTime(), now, 'de-DE')).toBe('1. Dez.');
  });
  it('adds the year for another year', () => {
    expect(dateIfNotToday(new Date(2025, 11, 31).getTime(), now, 'en-US')).toBe('Dec 31, 2025');
  });
});
