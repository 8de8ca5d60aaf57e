import type { z } from 'zod';
import { defineError } from './errors';

/** A request that fails its schema: `issues` lists up to five, `field` is the first one's path. */
export const invalidRequest = defineError(
  'pkg/mote',
  'invalid_field',
  'invalid_argument',
  'invalid {what}: {issues}',
  {
    attributes: ['field'],
    messageOnly: ['what', 'issues'],
  },
);

/** JSON that does not parse; `reason` is JSON.parse's complaint. */
export const invalidJson = defineError(
  'pkg/mote',
  'invalid_json',
  'invalid_argument',
  '{what} is not valid JSON: {reason}',
  {
    messageOnly: ['what', 'reason'],
  },
);

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
  const described = issues
    .map((i) => (i.path.length > 0 ? `\`${pathOf(i.path)}\`: ${i.message}` : i.message))
    .join('; ');
  const first = issues[0];
  throw invalidRequest({
    what,
    issues: described,
    field: first && first.path.length > 0 ? pathOf(first.path) : undefined,
  });
}

/** JSON.parse that fails with a clear, typed error instead of a SyntaxError. */
export function parseJson(text: string, what = 'request body'): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw invalidJson({ what, reason: (e as Error).message });
  }
}
