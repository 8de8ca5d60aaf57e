import { describe, expect, it } from 'vitest';
import { DEFAULT_QUERY, livenessOf, pageCount, pageParams } from './deviceQuery';

describe('pageParams', () => {
  it("asks for one page in the API's terms: 1-based page, `-` for descending, search trimmed", () => {
    expect(pageParams(DEFAULT_QUERY)).toBe('limit=50&page=1&order=device_id');
    expect(
      pageParams({ ...DEFAULT_QUERY, page: 2, sort: 'last_seen_at', descending: true, search: ' a b ' }),
    ).toBe('limit=50&page=3&order=-last_seen_at&search=a+b');
  });

  it('counts at least one page', () => {
    expect(pageCount(0, 50)).toBe(1);
    expect(pageCount(101, 50)).toBe(3);
  });
});

describe('livenessOf', () => {
  it('says how recently a device was seen', () => {
    const now = Date.parse('2026-02-01T12:00:00Z');
    expect(livenessOf('2026-02-01T11:50:00Z', now)).toBe('recent');
    expect(livenessOf('2026-02-01T01:00:00Z', now)).toBe('today');
    expect(livenessOf('2026-01-01T00:00:00Z', now)).toBe('stale');
    expect(livenessOf(undefined, now)).toBe('never');
  });
});
