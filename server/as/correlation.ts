import { monotonicFactory } from 'ulid';

/** Where new IDs come from; tests may inject a deterministic source. */
export interface IdSource {
  ulid(): string;
}

/**
 * One factory for the process: `ulid()` detects its PRNG on every call (~200 µs here), the
 * factory once (~4 µs) — this is on every uplink's path.
 */
const nextUlid = monotonicFactory();
export const systemIds: IdSource = { ulid: () => nextUlid() };

/** SPEC §4: correlation IDs are sorted and de-duplicated. */
export function mergeCorrelationIds(...lists: readonly (readonly string[] | undefined)[]): string[] {
  const set = new Set<string>();
  for (const list of lists) if (list) for (const id of list) set.add(id);
  return [...set].sort();
}
