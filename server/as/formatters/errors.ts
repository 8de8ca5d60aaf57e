import { type ErrorClass, MoteError } from '../../../lib/errors';
import type { ScriptErrorName } from './protocol';

/**
 * Formatter errors. A script's failure is the caller's input at fault (HTTP 400, `down/failed`),
 * except a full queue (429) and a stopped pool (503). Named for the limit or step that failed,
 * so clients and tests match on `name`, never on timings.
 */
const NAMESPACE = 'pkg/mote/formatters';

const CLASS: Record<ScriptErrorName | 'script_output_errors' | 'formatter_payload', ErrorClass> = {
  formatter_timeout: 'invalid_argument',
  formatter_memory_limit: 'invalid_argument',
  formatter_crashed: 'invalid_argument',
  formatter_busy: 'resource_exhausted',
  formatter_unavailable: 'unavailable',
  script_error: 'invalid_argument',
  script_missing_function: 'invalid_argument',
  script_invalid_output: 'invalid_argument',
  script_output_errors: 'invalid_argument',
  formatter_payload: 'invalid_argument',
};

export type FormatterErrorName = keyof typeof CLASS;

export const formatterError = (
  name: FormatterErrorName,
  message: string,
  attributes: Record<string, string | number> = {},
) => new MoteError(CLASS[name], name, message, attributes, NAMESPACE);
