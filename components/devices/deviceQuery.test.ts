import { describe, expect, it } from 'vitest';
import type { EndDevice } from '../apiTypes';
import { DEFAULT_QUERY, livenessOf, queryDevices } from './deviceQuery';

const dev = (id: string, extra: Partial<EndDevice> = {}): EndDevice => ({
  ids: { device_id: id, dev_eui: `70B3D57ED000${id.slice(-4).padStart(4, '0')}` },
  ...extra,
});
const fleet = Array.from({ length: 120 }, (_, i) => dev(`dev-${String(i).padStart(4, '0')}`));

describe('queryDevices', () => {
  it('pages, clamping a page past the end to the last one', () => {
    const q = { ...DEFAULT_QUERY, pageSize: 50 };
    expect(queryDevices(fleet, q)).toMatchObject({ total: 120, pages: 3, page: 0 });
    const last = queryDevices(fleet, { ...q, page: 9 });
    expect(last.page).toBe(2);
    expect(last.rows.map((d) => d.ids.device_id)).toEqual(fleet.slice(100).map((d) => d.ids.device_id));
  });

  it('searches ID, name and EUIs, an EUI typed with dashes too', () => {
    const all = [
      dev('a', { name: 'Kitchen' }),
      dev('b', { ids: { device_id: 'b', dev_eui: '0004A30B001C0530' } }),
    ];
    expect(queryDevices(all, { ...DEFAULT_QUERY, search: 'kitch' }).rows.map((d) => d.ids.device_id)).toEqual(
      ['a'],
    );
    expect(
      queryDevices(all, { ...DEFAULT_QUERY, search: '00-04-a3' }).rows.map((d) => d.ids.device_id),
    ).toEqual(['b']);
  });

  it('sorts by last seen newest first, never-seen devices last', () => {
    const all = [
      dev('old', { last_seen_at: '2026-01-01T00:00:00Z' }),
      dev('never'),
      dev('new', { last_seen_at: '2026-02-01T00:00:00Z' }),
    ];
    const r = queryDevices(all, { ...DEFAULT_QUERY, sort: 'last_seen_at', descending: true });
    expect(r.rows.map((d) => d.ids.device_id)).toEqual(['new', 'old', 'never']);
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
