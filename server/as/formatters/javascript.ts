/**
 * The JavaScript formatter (TTS pkg/messageprocessors/javascript): runs `decodeUplink`,
 * `encodeDownlink` and `decodeDownlink` in the sandbox pool and checks what they return.
 * Non-empty `errors` fail the call with the script's own messages.
 */
import { createHash } from 'node:crypto';
import type { DecodedPayload, EncodedPayload, NormalizedPayload } from '../../../lib/formatters/model';
import type { Struct } from '../../../lib/messages';
import {
  dataNotAnObject,
  encodedBytesInvalid,
  encodedFPortInvalid,
  normalizedDataInvalid,
  resultNotAnObject,
  scriptFailed,
  scriptMissingFunction,
  scriptOutputErrors,
} from './errors';
import type { ScriptRunner } from './pool';
import type { ScriptFunction, ScriptScope } from './protocol';

const hashes = new Map<string, string>();

/** The script text is the cache key; hashing 40 KB per uplink would cost more than the lookup. */
export function hashOf(script: string): string {
  let h = hashes.get(script);
  if (!h) {
    if (hashes.size > 1000) hashes.clear();
    h = createHash('sha256').update(script).digest('hex');
    hashes.set(script, h);
  }
  return h;
}

const isStruct = (v: unknown): v is Struct => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => String(x)) : []);

async function call(
  pool: ScriptRunner,
  scope: ScriptScope,
  script: string,
  fn: ScriptFunction,
  input: unknown,
): Promise<Struct> {
  const outcome = await pool.run({ scope, hash: hashOf(script), script, fn, input });
  if (!outcome.ok) throw scriptFailed(fn, outcome.error);
  const out = isStruct(outcome.output) ? outcome.output : {};
  if (out.missing) {
    const alternative =
      fn === 'decodeUplink' ? ' or `Decoder`' : fn === 'encodeDownlink' ? ' or `Encoder`' : '';
    throw scriptMissingFunction({ function: fn, alternative });
  }
  if (!isStruct(out.result)) throw resultNotAnObject({ function: fn });
  const errors = strings(out.result.errors);
  if (errors.length > 0) throw scriptOutputErrors({ errors, function: fn });
  return out.result;
}

async function decode(
  pool: ScriptRunner,
  scope: ScriptScope,
  script: string,
  fn: ScriptFunction,
  bytes: Uint8Array,
  fPort: number,
) {
  const result = await call(pool, scope, script, fn, { bytes: Array.from(bytes), fPort });
  if (!isStruct(result.data)) throw dataNotAnObject({ function: fn });
  return { data: result.data, warnings: strings(result.warnings) } satisfies DecodedPayload;
}

export const decodeUplinkScript = (
  pool: ScriptRunner,
  scope: ScriptScope,
  script: string,
  bytes: Uint8Array,
  fPort: number,
) => decode(pool, scope, script, 'decodeUplink', bytes, fPort);

export const decodeDownlinkScript = (
  pool: ScriptRunner,
  scope: ScriptScope,
  script: string,
  bytes: Uint8Array,
  fPort: number,
) => decode(pool, scope, script, 'decodeDownlink', bytes, fPort);

/**
 * Evaluates the script once, as every run does first, and throws its failure: a syntax error
 * (with its line), a throw at the top level, or a limit. Under a hash of its own, so a check
 * neither counts toward nor is refused by the saved script's suspension (pool.ts): saving is
 * how a suspended script is resumed.
 */
export async function compileScript(pool: ScriptRunner, scope: ScriptScope, script: string): Promise<void> {
  const outcome = await pool.run({
    scope,
    hash: `check:${hashOf(script)}`,
    script,
    fn: 'compile',
    input: null,
  });
  if (!outcome.ok) throw scriptFailed('compile', outcome.error);
}

/** Only scripts that name it pay for a second sandbox call per uplink. */
export const definesNormalizer = (script: string) => /\bnormalizeUplink\b/.test(script);

/**
 * TTS javascript.go: \`normalizeUplink({data})\` returns one measurement or an array of them;
 * no \`data\` means no normalized payload, and empty measurements are left out. Undefined when
 * the script has no such function.
 */
export async function normalizeUplinkScript(
  pool: ScriptRunner,
  scope: ScriptScope,
  script: string,
  data: Struct,
): Promise<NormalizedPayload | undefined> {
  let result: Struct;
  try {
    result = await call(pool, scope, script, 'normalizeUplink', { data });
  } catch (e) {
    if (scriptMissingFunction.is(e)) return undefined;
    throw e;
  }
  if (result.data === undefined || result.data === null) return undefined;
  const list = Array.isArray(result.data) ? result.data : [result.data];
  if (!list.every(isStruct)) throw normalizedDataInvalid();
  return {
    measurements: list.filter((m) => Object.keys(m).length > 0),
    warnings: strings(result.warnings),
  };
}

const isByte = (b: unknown) => typeof b === 'number' && Number.isInteger(b) && b >= 0 && b <= 255;
const isFPort = (p: unknown): p is number =>
  typeof p === 'number' && Number.isInteger(p) && p >= 1 && p <= 255 && p !== 224;

export async function encodeDownlinkScript(
  pool: ScriptRunner,
  scope: ScriptScope,
  script: string,
  data: Struct,
  fPort: number,
): Promise<EncodedPayload> {
  const result = await call(pool, scope, script, 'encodeDownlink', { data, fPort });
  const bytes = result.bytes;
  if (!Array.isArray(bytes) || !bytes.every(isByte)) throw encodedBytesInvalid();
  if (result.fPort !== undefined && result.fPort !== null && !isFPort(result.fPort))
    throw encodedFPortInvalid();
  return {
    bytes: Uint8Array.from(bytes as number[]),
    fPort: isFPort(result.fPort) ? result.fPort : undefined,
    warnings: strings(result.warnings),
  };
}
