import { ulidFactory } from './ulid';

/** Where new IDs come from; tests may inject a deterministic source. */
export interface IdSource {
  ulid(): string;
}

/** One monotonic factory for the process: this is on every uplink's path (see ulid.ts). */
export const systemIds: IdSource = { ulid: ulidFactory() };

/** docs/behaviour.md §4: correlation IDs are sorted and de-duplicated. */
export function mergeCorrelationIds(...lists: readonly (readonly string[] | undefined)[]): string[] {
  const set = new Set<string>();
  for (const list of lists) if (list) for (const id of list) set.add(id);
  return [...set].sort();
}
