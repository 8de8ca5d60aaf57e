import { defineError } from '../errors';
import { base64ToBytes, bytesToBase64, bytesToHex } from './base64';
import type { Descriptor, Kind } from './descriptors';

/**
 * The one proto-JSON writer and reader (docs/behaviour.md §4), driven by the field tables in descriptors.ts.
 * Writer: snake_case, zero values omitted, 64-bit as strings, bytes as padded base64, hex upper
 * case, enums as names. Reader: snake_case or lowerCamelCase, unknown fields ignored, numbers
 * also as strings, enums also as numbers, hex also as base64 (as TTS's reader).
 */
type Json = Record<string, unknown>;

export function writeMessage(desc: Descriptor, value: object): Json {
  const out: Json = {};
  const src = value as Json;
  for (const f of desc) {
    const v = src[f.name];
    if (v === undefined || v === null) continue;
    const w = writeValue(f.kind, v);
    if (w !== undefined) out[f.name] = w;
  }
  return out;
}

function writeValue(kind: Kind, v: unknown): unknown {
  switch (kind) {
    case 'string':
    case 'time':
    case 'duration':
      return v === '' ? undefined : v;
    case 'uint32':
    case 'int32':
    case 'float':
      return v === 0 ? undefined : v;
    case 'int64':
      return v === 0 ? undefined : String(v);
    case 'bool':
      return v === true ? true : undefined;
    case 'bytes':
      return (v as Uint8Array).length === 0 ? undefined : bytesToBase64(v as Uint8Array);
    case 'hex':
      return v === '' ? undefined : (v as string).toUpperCase();
    case 'struct':
      return v;
  }
  if ('enum' in kind) return v === kind.enum[0] ? undefined : v;
  if ('message' in kind) return writeMessage(kind.message, v as object);
  if ('repeated' in kind) {
    const arr = v as unknown[];
    return arr.length === 0
      ? undefined
      : arr.map((x) => writeValue(kind.repeated, x) ?? zeroOf(kind.repeated));
  }
  const out: Json = {};
  for (const [k, x] of Object.entries(v as Json)) out[k] = writeValue(kind.map, x) ?? zeroOf(kind.map);
  return out;
}

/** Inside lists and maps a zero value cannot be left out; it is written as its zero. */
function zeroOf(kind: Kind): unknown {
  if (kind === 'int64') return '0';
  if (kind === 'uint32' || kind === 'int32' || kind === 'float') return 0;
  if (kind === 'bool') return false;
  if (typeof kind === 'object' && 'message' in kind) return {};
  if (typeof kind === 'object' && 'enum' in kind) return kind.enum[0];
  return '';
}

/** A field the reader refused; `reason` says what it expected. */
export const invalidField = defineError(
  'pkg/mote',
  'invalid_field',
  'invalid_argument',
  'invalid `{field}`: {reason}',
  {
    messageOnly: ['reason'],
  },
);

const invalid = (field: string, reason: string) => invalidField({ field, reason });

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function readMessage(desc: Descriptor, value: unknown, path: string): Json {
  if (!isObject(value)) throw invalid(path || 'message', 'expected an object');
  const out: Json = {};
  for (const f of desc) {
    let v = value[f.name];
    if (v === undefined || v === null) v = value[f.camel];
    if (v === undefined || v === null) continue;
    out[f.name] = readValue(f.kind, v, path ? `${path}.${f.name}` : f.name);
  }
  return out;
}

function readNumber(v: unknown, path: string, integer: boolean, min: number, max: number): number {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || Number.isNaN(n)) throw invalid(path, 'expected a number');
  if (integer && !Number.isInteger(n)) throw invalid(path, 'expected an integer');
  if (n < min || n > max) throw invalid(path, `must be between ${min} and ${max}`);
  return n;
}

function readValue(kind: Kind, v: unknown, path: string): unknown {
  switch (kind) {
    case 'string':
      if (typeof v !== 'string') throw invalid(path, 'expected a string');
      return v;
    case 'uint32':
      return readNumber(v, path, true, 0, 0xffffffff);
    case 'int32':
      return readNumber(v, path, true, -0x80000000, 0x7fffffff);
    case 'int64':
      return readNumber(v, path, true, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    case 'float':
      if (v === 'NaN' || v === 'Infinity' || v === '-Infinity') return Number(v);
      return readNumber(v, path, false, -Infinity, Infinity);
    case 'bool':
      if (typeof v !== 'boolean') throw invalid(path, 'expected true or false');
      return v;
    case 'bytes': {
      const bytes = typeof v === 'string' ? base64ToBytes(v) : undefined;
      if (!bytes) throw invalid(path, 'expected base64');
      return bytes;
    }
    case 'hex':
      return readHex(v, path);
    case 'time':
      return readTime(v, path);
    case 'duration':
      if (typeof v !== 'string' || !/^-?\d+(\.\d+)?s$/.test(v))
        throw invalid(path, 'expected a duration like "0.5s"');
      return v;
    case 'struct':
      if (!isObject(v)) throw invalid(path, 'expected an object');
      return v;
  }
  if ('enum' in kind) return readEnum(kind.enum, v, path);
  if ('message' in kind) return readMessage(kind.message, v, path);
  if ('repeated' in kind) {
    if (!Array.isArray(v)) throw invalid(path, 'expected a list');
    return v.map((x, i) => readValue(kind.repeated, x, `${path}.${i}`));
  }
  if (!isObject(v)) throw invalid(path, 'expected an object');
  const out: Json = {};
  for (const [k, x] of Object.entries(v)) out[k] = readValue(kind.map, x, `${path}.${k}`);
  return out;
}

function readHex(v: unknown, path: string): string {
  if (typeof v !== 'string') throw invalid(path, 'expected hex');
  if (/^([0-9a-fA-F]{2})*$/.test(v)) return v.toUpperCase();
  const bytes = base64ToBytes(v);
  if (!bytes) throw invalid(path, 'expected hex');
  return bytesToHex(bytes);
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

function readTime(v: unknown, path: string): string {
  if (typeof v !== 'string' || !RFC3339.test(v) || Number.isNaN(Date.parse(v))) {
    throw invalid(path, 'expected an RFC 3339 time');
  }
  // Keep sub-millisecond digits when already UTC; other offsets are normalized to `Z`.
  return v.endsWith('Z') ? v : v.endsWith('z') ? `${v.slice(0, -1)}Z` : new Date(v).toISOString();
}

function readEnum(values: readonly string[], v: unknown, path: string): string {
  if (typeof v === 'string' && values.includes(v)) return v;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : Number.NaN;
  const byNumber = Number.isInteger(n) ? values[n] : undefined;
  if (byNumber !== undefined) return byNumber;
  throw invalid(path, `must be one of ${values.join(', ')}`);
}
