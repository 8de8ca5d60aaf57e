import { defineError, type ErrorClass } from '../../../lib/errors';
import type { ScriptErrorName, ScriptFailureReport } from './protocol';

/**
 * Formatter errors. A script's failure is the caller's input at fault (HTTP 400, `down/failed`),
 * except a full queue (429), a script suspended by its time budget (409) and a stopped pool (503). Named for the limit or step that failed,
 * so clients and tests match on `name`, never on timings.
 */
const NS = 'pkg/mote/formatters';

/** A failure the sandbox pool reports (protocol.ts): the thread that saw it words `message`. */
const scriptFailure = (name: ScriptErrorName, errorClass: ErrorClass) =>
  defineError(NS, name, errorClass, '{message}', { attributes: ['function'], messageOnly: ['message'] });

export const SCRIPT_FAILURES = {
  formatter_timeout: scriptFailure('formatter_timeout', 'invalid_argument'),
  formatter_memory_limit: scriptFailure('formatter_memory_limit', 'invalid_argument'),
  formatter_crashed: scriptFailure('formatter_crashed', 'invalid_argument'),
  formatter_busy: scriptFailure('formatter_busy', 'resource_exhausted'),
  formatter_suspended: scriptFailure('formatter_suspended', 'failed_precondition'),
  formatter_unavailable: scriptFailure('formatter_unavailable', 'unavailable'),
  script_error: scriptFailure('script_error', 'invalid_argument'),
  script_missing_function: scriptFailure('script_missing_function', 'invalid_argument'),
  script_invalid_output: scriptFailure('script_invalid_output', 'invalid_argument'),
} satisfies Record<ScriptErrorName, unknown>;

/** A script error at a known line of the script: `line` is public, for the console editor's mark. */
const scriptErrorAt = defineError(NS, 'script_error', 'invalid_argument', '{message}', {
  attributes: ['function', 'line'],
  messageOnly: ['message'],
});

/** The MoteError for a failure the sandbox pool reported while running `fn`. */
export const scriptFailed = (fn: string, { name, message, line }: ScriptFailureReport) =>
  name === 'script_error' && line !== undefined
    ? scriptErrorAt({ message, function: fn, line })
    : SCRIPT_FAILURES[name]({ message, function: fn });

/** `alternative` names the TTS v2 fallback (` or \`Decoder\``), if the function has one. */
export const scriptMissingFunction = defineError(
  NS,
  'script_missing_function',
  'invalid_argument',
  'script defines no `{function}`{alternative} function',
  { messageOnly: ['alternative'] },
);

export const resultNotAnObject = defineError(
  NS,
  'script_invalid_output',
  'invalid_argument',
  '`{function}` must return an object',
);

export const dataNotAnObject = defineError(
  NS,
  'script_invalid_output',
  'invalid_argument',
  '`{function}` must return `data` as an object',
);

export const normalizedDataInvalid = defineError(
  NS,
  'script_invalid_output',
  'invalid_argument',
  '`normalizeUplink` must return `data` as an object or an array of objects',
);

export const encodedBytesInvalid = defineError(
  NS,
  'script_invalid_output',
  'invalid_argument',
  '`encodeDownlink` must return `bytes` as an array of integers 0–255',
);

export const encodedFPortInvalid = defineError(
  NS,
  'script_invalid_output',
  'invalid_argument',
  '`encodeDownlink` returned an `fPort` outside 1…255 (or 224)',
);

/** The script's own `errors`, joined with `, `. */
export const scriptOutputErrors = defineError(NS, 'script_output_errors', 'invalid_argument', '{errors}', {
  attributes: ['function'],
  messageOnly: ['errors'],
});

/** `operation` is `decoding` or `encoding`; `reason` is the CayenneLPP codec's RangeError. */
export const lppPayloadInvalid = defineError(
  NS,
  'formatter_payload',
  'invalid_argument',
  'CayenneLPP {operation}: {reason}',
  { messageOnly: ['operation', 'reason'] },
);

export const formatterNotRunning = defineError(
  NS,
  'formatter_unavailable',
  'unavailable',
  'the JavaScript formatter is not running',
);

/**
 * A JavaScript formatter refused on save (issue 16 item 1): `field` is the script's field,
 * `line` (when QuickJS said) where it broke, `reason` the name of what failed (`script_error`,
 * `formatter_timeout`, …). TTS stores any script and fails each uplink instead.
 */
export const formatterCompileFailed = defineError(
  NS,
  'formatter_compile_failed',
  'invalid_argument',
  '`{field}` does not compile: {message}',
  { attributes: ['line', 'reason'], messageOnly: ['message'] },
);
