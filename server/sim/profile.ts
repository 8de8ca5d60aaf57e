import { between, type Random } from './random';

/**
 * The demo payload profile: a temperature/humidity sensor on FPort 1. Bytes: temperature in
 * 0.01 °C as int16 big-endian, relative humidity in 0.5 % as uint8 — easy to decode by hand
 * or with a formatter.
 */
export interface SensorReading {
  temperature: number;
  humidity: number;
}

export const PROFILE_F_PORT = 1;

export function nextReading(random: Random, last: SensorReading | undefined): SensorReading {
  const prev = last ?? { temperature: between(random, 18, 24), humidity: between(random, 40, 60) };
  const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
  return {
    temperature: clamp(prev.temperature + between(random, -0.3, 0.3), -20, 45),
    humidity: clamp(prev.humidity + between(random, -1.5, 1.5), 5, 100),
  };
}

export function encodeReading(r: SensorReading): Uint8Array {
  const out = new Uint8Array(3);
  new DataView(out.buffer).setInt16(0, Math.round(r.temperature * 100));
  out[2] = Math.round(r.humidity * 2);
  return out;
}

/**
 * The profile's formatter (docs/behaviour.md §7), set as the demo application's default so the demo shows
 * `decoded_payload`. Downlinks: `{"interval_s": N}` sets the reporting interval (uint16 BE).
 */
export const PROFILE_FORMATTER = `function decodeUplink(input) {
  var b = input.bytes;
  if (input.fPort !== 1 || b.length !== 3) {
    return { errors: ['expected 3 bytes on FPort 1, got ' + b.length + ' on FPort ' + input.fPort] };
  }
  var t = (b[0] << 8) | b[1];
  if (t & 0x8000) t -= 0x10000;
  return { data: { temperature: t / 100, humidity: b[2] / 2 } };
}

function encodeDownlink(input) {
  var s = input.data.interval_s;
  if (typeof s !== 'number' || s < 1 || s > 65535) {
    return { errors: ['interval_s must be a number from 1 to 65535'] };
  }
  return { bytes: [(s >> 8) & 0xff, s & 0xff], fPort: 2 };
}

function decodeDownlink(input) {
  if (input.bytes.length !== 2) return { errors: ['expected 2 bytes'] };
  return { data: { interval_s: (input.bytes[0] << 8) | input.bytes[1] } };
}
`;
