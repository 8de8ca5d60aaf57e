/**
 * Failure throttling per client address: after `maxFailures` failures within `windowMs`, the
 * address is refused until the window has passed. Used for console logins and MQTT connects.
 * `maxFailures` 0 turns throttling off.
 */
/** Each answer may be a promise: the cluster's throttle keeps its counts in Redis. */
export interface Throttle {
  /** Milliseconds until this address may try again; 0 when it may try now. */
  retryAfter(address: string, now?: number): number | Promise<number>;
  fail(address: string, now?: number): void | Promise<void>;
  /**
   * Refused (milliseconds to wait) or let through and counted as a failure at once, before the
   * slow check: concurrent attempts cannot all pass the limit while the first ones are still
   * being checked. `succeed()` forgets them.
   */
  take(address: string, now?: number): number | Promise<number>;
  succeed(address: string): void | Promise<void>;
}

/** The in-process throttle answers at once. */
export interface LocalThrottle extends Throttle {
  retryAfter(address: string, now?: number): number;
  fail(address: string, now?: number): void;
  take(address: string, now?: number): number;
  succeed(address: string): void;
}

export function createThrottle(maxFailures: number, windowMs: number): LocalThrottle {
  const failures = new Map<string, number[]>();
  const recent = (address: string, now: number) => {
    const list = (failures.get(address) ?? []).filter((t) => now - t < windowMs);
    if (list.length === 0) failures.delete(address);
    else failures.set(address, list);
    return list;
  };
  return {
    retryAfter(address, now = Date.now()) {
      if (maxFailures <= 0) return 0;
      // Refused while maxFailures or more failures are in the window: it may try again when the
      // one maxFailures from the newest ages out. Under the limit there is no such failure.
      const list = recent(address, now);
      const blocking = list[list.length - maxFailures];
      return blocking === undefined ? 0 : windowMs - (now - blocking);
    },
    fail(address, now = Date.now()) {
      const list = recent(address, now);
      list.push(now);
      failures.set(address, list);
      // Bound memory under a spray of addresses: forget the oldest.
      if (failures.size > 100_000) failures.delete(failures.keys().next().value as string);
    },
    take(address, now = Date.now()) {
      const wait = this.retryAfter(address, now);
      if (wait === 0) this.fail(address, now);
      return wait;
    },
    succeed(address) {
      failures.delete(address);
    },
  };
}
