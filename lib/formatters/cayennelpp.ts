/**
 * Cayenne Low Power Payload (myDevices LPP v1), keyed as TTS does
 * (pkg/messageprocessors/cayennelpp/keys.go): `<type>_<channel>`, e.g. `temperature_3`.
 * Each item is channel (1 byte), type (1 byte, IPSO object ID − 3200), then big-endian data.
 * Written here rather than taken from npm: the one package (`cayenne-lpp`, a single 2025 release)
 * names keys its own way, and TTS's key names and `value_N` downlinks are what clients expect.
 */
import type { Struct } from '../messages';

interface LppType {
  id: number;
  key: string;
  size: number;
  /** Value per unit of the raw integer (0.1 °C …); axes: x, y, z in turn. */
  resolution: number;
  signed: boolean;
  axes?: readonly string[];
}

const XYZ = ['x', 'y', 'z'] as const;

export const LPP_TYPES: readonly LppType[] = [
  { id: 0, key: 'digital_in', size: 1, resolution: 1, signed: false },
  { id: 1, key: 'digital_out', size: 1, resolution: 1, signed: false },
  { id: 2, key: 'analog_in', size: 2, resolution: 100, signed: true },
  { id: 3, key: 'analog_out', size: 2, resolution: 100, signed: true },
  { id: 101, key: 'luminosity', size: 2, resolution: 1, signed: false },
  { id: 102, key: 'presence', size: 1, resolution: 1, signed: false },
  { id: 103, key: 'temperature', size: 2, resolution: 10, signed: true },
  { id: 104, key: 'relative_humidity', size: 1, resolution: 2, signed: false },
  { id: 113, key: 'accelerometer', size: 6, resolution: 1000, signed: true, axes: XYZ },
  { id: 115, key: 'barometric_pressure', size: 2, resolution: 10, signed: false },
  { id: 134, key: 'gyrometer', size: 6, resolution: 100, signed: true, axes: XYZ },
  { id: 136, key: 'gps', size: 9, resolution: 0, signed: true },
];

const byId = new Map(LPP_TYPES.map((t) => [t.id, t]));
const byKey = new Map(LPP_TYPES.map((t) => [t.key, t]));

function readInt(b: Uint8Array, at: number, size: number, signed: boolean): number {
  let v = 0;
  for (let i = at; i < at + size; i++) {
    const byte = b[i];
    if (byte === undefined) throw new RangeError(`truncated value at byte ${i}`);
    v = v * 256 + byte;
  }
  const top = 2 ** (8 * size);
  return signed && v >= top / 2 ? v - top : v;
}

function writeInt(out: number[], value: number, size: number, signed: boolean, what: string): void {
  const top = 2 ** (8 * size);
  const [min, max] = signed ? [-top / 2, top / 2 - 1] : [0, top - 1];
  if (!Number.isFinite(value) || value < min || value > max) throw new RangeError(`${what} out of range`);
  let v = value < 0 ? value + top : value;
  const bytes: number[] = [];
  for (let i = 0; i < size; i++) {
    bytes.unshift(v % 256);
    v = Math.floor(v / 256);
  }
  out.push(...bytes);
}

/** Division, not multiplication, so 272 → 27.2 rather than 27.200000000000003. */
const scale = (raw: number, resolution: number) => raw / resolution;

function decodeValue(t: LppType, b: Uint8Array, at: number): unknown {
  if (t.key === 'gps') {
    return {
      latitude: readInt(b, at, 3, true) / 10_000,
      longitude: readInt(b, at + 3, 3, true) / 10_000,
      altitude: readInt(b, at + 6, 3, true) / 100,
    };
  }
  if (t.axes) {
    const step = t.size / t.axes.length;
    return Object.fromEntries(
      t.axes.map((a, i) => [a, scale(readInt(b, at + i * step, step, t.signed), t.resolution)]),
    );
  }
  return scale(readInt(b, at, t.size, t.signed), t.resolution);
}

/** Decodes an uplink; throws RangeError on an unknown type or a truncated item. */
export function decodeLpp(bytes: Uint8Array): Struct {
  const out: Struct = {};
  for (let at = 0; at < bytes.length; ) {
    const channel = bytes[at];
    const typeId = bytes[at + 1];
    if (channel === undefined || typeId === undefined) throw new RangeError(`truncated item at byte ${at}`);
    const t = byId.get(typeId);
    if (!t) throw new RangeError(`unknown type ${typeId} at byte ${at + 1}`);
    if (at + 2 + t.size > bytes.length) throw new RangeError(`truncated ${t.key} at byte ${at}`);
    out[`${t.key}_${channel}`] = decodeValue(t, bytes, at + 2);
    at += 2 + t.size;
  }
  return out;
}

const KEY = /^([a-z_]+)_(\d{1,3})$/;

function encodeValue(out: number[], t: LppType, value: unknown, key: string): void {
  const num = (v: unknown, what: string) => {
    if (typeof v !== 'number') throw new RangeError(`${what} must be a number`);
    return v;
  };
  if (t.key === 'gps') {
    const g = (value ?? {}) as Record<string, unknown>;
    writeInt(out, Math.round(num(g.latitude, `${key}.latitude`) * 10_000), 3, true, `${key}.latitude`);
    writeInt(out, Math.round(num(g.longitude, `${key}.longitude`) * 10_000), 3, true, `${key}.longitude`);
    writeInt(out, Math.round(num(g.altitude ?? 0, `${key}.altitude`) * 100), 3, true, `${key}.altitude`);
    return;
  }
  if (t.axes) {
    const v = (value ?? {}) as Record<string, unknown>;
    const step = t.size / t.axes.length;
    for (const a of t.axes)
      writeInt(out, Math.round(num(v[a] ?? 0, `${key}.${a}`) * t.resolution), step, t.signed, `${key}.${a}`);
    return;
  }
  const raw = typeof value === 'boolean' ? Number(value) : num(value, key);
  writeInt(out, Math.round(raw * t.resolution), t.size, t.signed, key);
}

/** Encodes `<type>_<channel>` keys (the inverse of decodeLpp); throws RangeError on bad input. */
export function encodeLpp(data: Struct): Uint8Array {
  const out: number[] = [];
  for (const [key, value] of Object.entries(data)) {
    const [, type, channel] = KEY.exec(key) ?? [];
    const t = type === undefined ? undefined : byKey.get(type);
    if (!t || Number(channel) > 255) throw new RangeError(`\`${key}\` is not a CayenneLPP key`);
    out.push(Number(channel), t.id);
    encodeValue(out, t, value, key);
  }
  return Uint8Array.from(out);
}

/**
 * Downlinks as TTS (go-cayenne-lib `AddPort`): only `value_N`, each sent as channel N and a
 * signed 16-bit value in hundredths.
 */
export function encodeLppDownlink(data: Struct): Uint8Array {
  const out: number[] = [];
  for (const [key, value] of Object.entries(data)) {
    const m = /^value_(\d{1,3})$/.exec(key);
    if (!m || Number(m[1]) > 255)
      throw new RangeError(`\`${key}\` is not a CayenneLPP downlink key (value_N)`);
    if (typeof value !== 'number') throw new RangeError(`${key} must be a number`);
    out.push(Number(m[1]));
    writeInt(out, Math.round(value * 100), 2, true, key);
  }
  return Uint8Array.from(out);
}

export function decodeLppDownlink(bytes: Uint8Array): Struct {
  if (bytes.length % 3 !== 0) throw new RangeError('CayenneLPP downlink length must be a multiple of 3');
  const out: Struct = {};
  for (let at = 0; at < bytes.length; at += 3)
    out[`value_${bytes[at]}`] = readInt(bytes, at + 1, 2, true) / 100;
  return out;
}
