import type { z } from 'zod';
import { MoteError } from './errors';

/** `downlinks.0.f_port` — the path of the first problem, as users name fields. */
const pathOf = (path: readonly PropertyKey[]) => path.map(String).join('.');

/**
 * Parses with a zod schema; on failure throws one `invalid_argument` error naming each field
 * that was wrong, so HTTP, MQTT `down/failed` and the CLI all say the same thing.
 */
export function parseWith<S extends z.ZodType>(schema: S, data: unknown, what = 'request'): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 5);
  const message = issues
    .map((i) => (i.path.length > 0 ? `\`${pathOf(i.path)}\`: ${i.message}` : i.message))
    .join('; ');
  const first = issues[0];
  throw new MoteError('invalid_argument', 'invalid_field', `invalid ${what}: ${message}`, {
    field: first && first.path.length > 0 ? pathOf(first.path) : undefined,
  });
}

/** JSON.parse that fails with a clear, typed error instead of a SyntaxError. */
export function parseJson(text: string, what = 'request body'): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new MoteError(
      'invalid_argument',
      'invalid_json',
      `${what} is not valid JSON: ${(e as Error).message}`,
    );
  }
}
