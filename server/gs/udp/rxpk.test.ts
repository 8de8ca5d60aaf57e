import { describe, expect, it } from 'vitest';
import { fromRxpk, parseDatr } from './rxpk';

describe('parseDatr', () => {
  it.each([
    ['LORA', 'SF7BW125', { spreadingFactor: 7, bandwidth: 125_000 }],
    ['LORA', 'SF12BW125', { spreadingFactor: 12, bandwidth: 125_000 }],
    ['LORA', 'SF7BW250', { spreadingFactor: 7, bandwidth: 250_000 }],
    ['LORA', 'SF8BW500', { spreadingFactor: 8, bandwidth: 500_000 }],
    [undefined, 'SF10BW125', { spreadingFactor: 10, bandwidth: 125_000 }],
    ['FSK', 50_000, { bitRate: 50_000 }],
  ])('%s %s', (modu, datr, modulation) => {
    expect(parseDatr(modu, datr)).toEqual(modulation);
  });

  it.each([
    ['LORA', 'SF13BW125'],
    ['LORA', 'SF4BW125'],
    ['LORA', 'SF7'],
    ['LORA', 7],
    ['FSK', 'SF7BW125'],
    ['FSK', -1],
    ['OOK', 'SF7BW125'],
  ])('refuses %s %s', (modu, datr) => {
    expect(parseDatr(modu, datr)).toBeUndefined();
  });
});

describe('fromRxpk', () => {
  const ctx = {
    gatewayIds: { gateway_id: 'gw', eui: '0000000000000001' },
    receivedAt: new Date(0),
    downlinkPath: true,
  };
  const base = {
    tmst: 2 ** 32 - 1,
    freq: 902.3,
    rssi: -120,
    lsnr: -20,
    datr: 'SF10BW125',
    codr: '4/5',
    data: 'QA==',
  };

  it('keeps Hz whole and the timestamp unsigned', () => {
    const r = fromRxpk(base, ctx);
    expect(r.ok && !r.crcFailed && r.radio).toMatchObject({
      frequency: 902_300_000,
      timestamp: 4_294_967_295,
    });
  });

  it('reports a CRC failure before checking the other fields', () => {
    expect(fromRxpk({ stat: -1 }, ctx)).toEqual({ ok: true, crcFailed: true });
  });

  it('takes stat 0 (no CRC) as a frame', () => {
    const r = fromRxpk({ ...base, stat: 0 }, ctx);
    expect(r.ok && !r.crcFailed).toBe(true);
  });

  it('ignores an unparsable time', () => {
    const r = fromRxpk({ ...base, time: 'yesterday' }, ctx);
    expect(r.ok && !r.crcFailed && r.radio.time).toBeUndefined();
  });
});

describe('gateway time', () => {
  const ctx = {
    gatewayIds: { gateway_id: 'gw', eui: '0000000000000001' },
    receivedAt: new Date(0),
    downlinkPath: true,
  };
  const base = { tmst: 1, freq: 868.1, rssi: -50, datr: 'SF7BW125', codr: '4/5', data: 'QA==' };
  const timeOf = (time: unknown) => {
    const r = fromRxpk({ ...base, time }, ctx);
    return r.ok && !r.crcFailed ? r.radio.time : 'not a frame';
  };

  it("keeps a forwarder's microseconds (PROTOCOL.TXT's example)", () => {
    expect(timeOf('2013-03-31T16:21:17.528002Z')).toBe('2013-03-31T16:21:17.528002Z');
  });

  it('writes 0, 3, 6 or 9 fractional digits, as protobuf JSON does', () => {
    expect(timeOf('2026-12-02T08:00:01.5Z')).toBe('2026-12-02T08:00:01.500Z');
    expect(timeOf('2026-12-02T08:00:01.528000Z')).toBe('2026-12-02T08:00:01.528Z');
    expect(timeOf('2026-12-02T08:00:01.1234567Z')).toBe('2026-12-02T08:00:01.123456700Z');
    expect(timeOf('2026-12-02T08:00:01.000Z')).toBe('2026-12-02T08:00:01Z');
    expect(timeOf('2026-12-02T08:00:01Z')).toBe('2026-12-02T08:00:01Z');
  });

  it('converts another offset to UTC', () => {
    expect(timeOf('2013-03-31T18:21:17.528+02:00')).toBe('2013-03-31T16:21:17.528Z');
  });

  it('leaves out what is not a time', () => {
    expect(timeOf(12)).toBeUndefined();
  });
});
