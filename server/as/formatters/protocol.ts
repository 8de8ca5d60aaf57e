/** Messages between the formatter pool (main thread) and its workers. */

/** `compile` only evaluates the script (its top level), to refuse a broken one before it is saved. */
export type ScriptFunction =
  | 'decodeUplink'
  | 'normalizeUplink'
  | 'encodeDownlink'
  | 'decodeDownlink'
  | 'compile';

/**
 * Whose script this is. The application is the unit of fairness and of the time budget (pool.ts);
 * application and device together scope the script's globals (sandbox.ts), so no state ever
 * passes between applications, or between devices, even when their script text is the same.
 */
export interface ScriptScope {
  applicationId: string;
  /** Absent for the console's test pane, which runs in a scope of its own. */
  deviceId?: string;
}

export interface ScriptCall {
  scope: ScriptScope;
  /** SHA-256 of the script: with the scope, the worker's compile cache key. */
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
  | 'formatter_suspended'
  | 'formatter_unavailable'
  | 'script_error'
  | 'script_missing_function'
  | 'script_invalid_output';

/**
 * `output` is what the script's function returned, normalised by the harness to
 * `{missing: true}` or `{result}`; the main thread validates its shape.
 */
export type ScriptOutcome = { ok: true; output: unknown } | { ok: false; error: ScriptFailureReport };

/** `line` (1-based, in the user's script) when QuickJS said where a script error arose. */
export interface ScriptFailureReport {
  name: ScriptErrorName;
  message: string;
  line?: number;
}

export type ToWorker = { type: 'run'; id: number; call: ScriptCall };
export type FromWorker = { type: 'ready' } | { type: 'result'; id: number; outcome: ScriptOutcome };
