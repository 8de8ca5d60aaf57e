import { describe, expect, it } from 'vitest';
import { deviceTimeAt, gpsMsFromUnixMs } from './gpsTime';

describe('GPS time for DeviceTimeAns', () => {
  it.each([
    { at: '1980-01-06T00:00:00Z', gpsSeconds: 0 },
    { at: '1981-06-30T23:59:59Z', gpsSeconds: 46_828_799 },
    { at: '1981-07-01T00:00:00Z', gpsSeconds: 46_828_801 },
    // LoRaWAN 1.0.3 §5.9's example, 17 leap seconds after the epoch.
    { at: '2016-02-12T14:24:31Z', gpsSeconds: 1_139_322_288 },
    { at: '2017-01-01T00:00:00Z', gpsSeconds: 1_167_264_018 },
  ])('$at is $gpsSeconds s', ({ at, gpsSeconds }) => {
    expect(gpsMsFromUnixMs(Date.parse(at))).toBe(gpsSeconds * 1000);
  });

  it.each([
    { ms: 0, fraction: 0 },
    { ms: 500, fraction: 128 },
    { ms: 999, fraction: 255 },
    { ms: 3, fraction: 0 },
    { ms: 4, fraction: 1 },
  ])('splits off the fraction in 1/256 s: $ms ms → $fraction', ({ ms, fraction }) => {
    const unixMs = Date.parse('2024-05-01T12:00:00Z') + ms;
    expect(deviceTimeAt(unixMs)).toEqual({ gpsSeconds: 1_398_600_018, fraction });
  });
});
