import { sql } from 'kysely';
import type { Dialect } from './migrations';

/**
 * The `settings` JSON columns hold one top-level key per feature (the simulator's `simulator`,
 * the formatters' `link` and `formatters`). Each feature writes only its key, inside the
 * database: a read-modify-write of the whole column would lose a concurrent write of another key.
 */
export function settingsWithKey(dialect: Dialect, key: string, value: unknown) {
  if (dialect === 'postgres') {
    return value === undefined
      ? sql<string>`(settings::jsonb - ${key})::text`
      : sql<string>`(settings::jsonb || jsonb_build_object(${key}::text, ${JSON.stringify(value)}::jsonb))::text`;
  }
  return value === undefined
    ? sql<string>`json_remove(settings, ${`$.${key}`})`
    : sql<string>`json_set(settings, ${`$.${key}`}, json(${JSON.stringify(value)}))`;
}
