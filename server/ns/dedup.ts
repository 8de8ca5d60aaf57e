import type { NsCore } from './context';

/**
 * Gateway duplicates: several gateways forward the same frame within a few hundred ms. The first
 * copy is handled; a copy within the window is dropped (merging its rx_metadata into the `up`
 * would need the first copy held back for the window: not done yet).
 */
export const DEFAULT_DEDUP_WINDOW_MS = 200;

/** True when the same bytes arrived within the window; records them otherwise. */
export function seenRecently(core: NsCore, phyPayload: Uint8Array): boolean {
  const now = core.clock.now().getTime();
  const window = core.dedupWindowMs ?? DEFAULT_DEDUP_WINDOW_MS;
  // Insertion order is arrival order, so expired entries are at the head.
  for (const [key, at] of core.seen) {
    if (now - at <= window) break;
    core.seen.delete(key);
  }
  const key = Buffer.from(phyPayload).toString('hex');
  if (core.seen.has(key)) return true;
  core.seen.set(key, now);
  return false;
}

/** One frame of a device at a time: the session read at the start is the one saved at the end. */
export function serialized(): <T>(key: string, fn: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<unknown>>();
  return async <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    const previous = tails.get(key) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const tail = run.catch(() => undefined);
    tails.set(key, tail);
    try {
      return await run;
    } finally {
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
}
