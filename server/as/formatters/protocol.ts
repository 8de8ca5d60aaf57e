/** Messages between the formatter pool (main thread) and its workers. */

export type ScriptFunction = 'decodeUplink' | 'normalizeUplink' | 'encodeDownlink' | 'decodeDownlink';

export interface ScriptCall {
  /** SHA-256 of the script: the worker's compile cache key. */
  hash: string;
  script: string;
  fn: ScriptFunction;
  /** `{bytes, fPort}`, `{data, fPort}` or `{data}`: JSON-clean, passed into the sandbox as JSON text. */
  input: unknown;
}

export interface ScriptLimits {
  timeoutMs: number;
  memoryBytes: number;
  stackBytes: number;
  maxOutputChars: number;
}

/** Names of MoteErrors (see errors.ts) that a run can end with. */
export type ScriptErrorName =
  | 'formatter_timeout'
  | 'formatter_memory_limit'
  | 'formatter_crashed'
  | 'formatter_busy'
  | 'formatter_unavailable'
  | 'script_error'
  | 'script_missing_function'
  | 'script_invalid_output';

/**
 * `output` is what the script's function returned, normalised by the harness to
 * `{missing: true}` or `{result}`; the main thread validates its shape.
 */
export type ScriptOutcome =
  | { ok: true; output: unknown }
  | { ok: false; error: { name: ScriptErrorName; message: string } };

export type ToWorker = { type: 'run'; id: number; call: ScriptCall };
export type FromWorker = { type: 'ready' } | { type: 'result'; id: number; outcome: ScriptOutcome };
