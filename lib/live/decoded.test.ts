import { describe, expect, it } from 'vitest';
import { at } from '../../test/helpers/at';
import { decodedSeries } from './decoded';
import { toLiveMessage } from './event';

const up = (t: number, decoded?: unknown) =>
  toLiveMessage({
    end_device_ids: { device_id: 'd' },
    correlation_ids: [`as:up:${t}`],
    received_at: new Date(t * 1000).toISOString(),
    uplink_message: { f_port: 1, frm_payload: 'AQ==', decoded_payload: decoded },
  })!;

describe('decodedSeries', () => {
  it('collects numeric and boolean fields, one level deep, oldest first', () => {
    const rows = [
      up(2, { temperature: 21.5, ok: true, gps_1: { latitude: 52.1, deep: { x: 1 } }, label: 'x' }),
      up(1, { temperature: 20 }),
      up(3),
    ];
    const s = decodedSeries(rows);
    expect(s.map((x) => x.field)).toEqual(['temperature', 'ok', 'gps_1.latitude']);
    expect(at(s, 0).points.map((p) => p.value)).toEqual([20, 21.5]);
    expect(at(s, 1).points).toEqual([{ time: 2000, value: 1 }]);
  });

  it('caps the number of fields', () => {
    expect(decodedSeries([up(1, { a: 1, b: 2, c: 3 })], 2).map((s) => s.field)).toEqual(['a', 'b']);
  });
});
