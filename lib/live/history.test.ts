import { describe, expect, it } from 'vitest';
import { at } from '../../test/helpers/at';
import { toCsv } from './exportRows';
import { parseHistory } from './history';

const up = {
  end_device_ids: { device_id: 'd1' },
  correlation_ids: ['as:up:1'],
  received_at: '2026-01-01T00:00:00.123Z',
  uplink_message: { f_port: 2, frm_payload: 'AQI=' },
};

describe('parseHistory', () => {
  it('reads TTS storage lines', () => {
    const rows = parseHistory(
      `{"result":${JSON.stringify(up)}}\n{"result":${JSON.stringify({ ...up, correlation_ids: ['as:up:2'] })}}\n`,
    );
    expect(rows.map((r) => r.correlationIds[0])).toEqual(['as:up:1', 'as:up:2']);
    expect(at(rows, 0).type).toBe('up');
  });

  it('reads events/related', () => {
    const rows = parseHistory(
      JSON.stringify({ events: [{ name: 'as.up.data.forward', data: { '@type': 'x', ...up } }] }),
    );
    expect(rows).toHaveLength(1);
    expect(at(rows, 0).deviceId).toBe('d1');
  });
});

describe('toCsv', () => {
  it('quotes cells and neutralises formulas', () => {
    const row = at(parseHistory(JSON.stringify([{ ...up, end_device_ids: { device_id: '=cmd,"x"' } }])), 0);
    const csv = toCsv([row]);
    expect(csv.split('\r\n')[1]).toBe(`2026-01-01T00:00:00.123Z,"'=cmd,""x""",up,2,0,0102,,,,,,as:up:1,`);
  });

  it('has a column per top-level decoded field', () => {
    const decoded = (d: unknown, cid: string) => ({
      ...up,
      correlation_ids: [cid],
      uplink_message: { ...up.uplink_message, decoded_payload: d },
    });
    const rows = parseHistory(
      JSON.stringify([decoded({ temperature: 21.5, gps: { lat: 1 } }, 'a'), decoded({ humidity: 40 }, 'b')]),
    );
    const [head, first, second] = toCsv(rows).split('\r\n');
    expect(head).toMatch(/,decoded_payload,decoded\.temperature,decoded\.gps,decoded\.humidity$/);
    expect(first).toMatch(/,21\.5,"\{""lat"":1\}",$/);
    expect(second).toMatch(/,,,40$/);
  });
});
