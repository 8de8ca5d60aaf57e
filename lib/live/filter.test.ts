import { describe, expect, it } from 'vitest';
import { type LiveRow, toLiveMessage } from './event';
import { applyFilter, describeFilter, EMPTY_FILTER } from './filter';

const msg = (dev: string, body: string, cids: string[], payload = 'AQI=') =>
  toLiveMessage({
    end_device_ids: { device_id: dev },
    correlation_ids: cids,
    received_at: '2026-01-01T00:00:00Z',
    [body]: { f_port: 1, frm_payload: payload },
  }) as LiveRow;

const rows = [
  msg('a', 'uplink_message', ['as:up:1']),
  msg('a', 'downlink_queued', ['as:downlink:1', 'mine']),
  msg('b', 'downlink_sent', ['as:downlink:1', 'mine']),
  msg('b', 'uplink_message', ['as:up:2'], '/w=='),
];

describe('applyFilter', () => {
  it('combines type, device, text and correlation ID', () => {
    expect(applyFilter(rows, { ...EMPTY_FILTER, correlationId: 'mine' })).toHaveLength(2);
    expect(applyFilter(rows, { ...EMPTY_FILTER, correlationId: 'mine', device: 'b' })).toHaveLength(1);
    expect(applyFilter(rows, { ...EMPTY_FILTER, types: ['up'] })).toHaveLength(2);
    expect(applyFilter(rows, { ...EMPTY_FILTER, types: ['up'], text: 'ff' })).toEqual([rows[3]]);
    expect(applyFilter(rows, { ...EMPTY_FILTER, text: '01 02' })).toHaveLength(3);
  });

  it('matches correlation IDs by prefix', () => {
    expect(applyFilter(rows, { ...EMPTY_FILTER, correlationId: 'as:downlink:' })).toHaveLength(2);
    expect(applyFilter(rows, { ...EMPTY_FILTER, correlationId: 'as:up:' })).toHaveLength(2);
    expect(applyFilter(rows, { ...EMPTY_FILTER, correlationId: 'up:' })).toHaveLength(0);
  });

  it('says what it filters by', () => {
    expect(describeFilter({ ...EMPTY_FILTER, correlationId: 'as:up', device: 'b' })).toBe(
      'correlation ID “as:up…” and device “b”',
    );
  });
});
