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
