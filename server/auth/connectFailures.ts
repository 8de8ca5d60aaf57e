/**
 * Wrong MQTT credentials, counted per (client IP, username) (docs/behaviour.md §3.2). Past
 * `maxFailures` within `windowMs` a *failed* attempt's refusal is held back, by `firstDelayMs`
 * doubling up to `maxDelayMs`; the credentials are still checked, so the right key is never
 * refused. API keys carry 256 random bits: no rate of guessing reaches one, so locking an address
 * out would only let one stale key in a reconnect loop (or anyone behind the same NAT) lock out
 * every correct client. What this protects is CPU and logs: a loop of wrong keys is slowed to a
 * few attempts per `maxDelayMs`. The console password's throttle (throttle.ts) stays strict.
 */
export interface ConnectFailureOptions {
  /** Failures per (IP, username) within the window before refusals are delayed; 0 turns it off. */
  maxFailures: number;
  windowMs: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

export interface ConnectFailures {
  /**
   * Counts a failed attempt; how long its refusal should be held back (0: answer now). A
   * promise when the count is kept in Redis (server/cluster/clusterThrottle.ts).
   */
  fail(ip: string, username: string, now: number): number | Promise<number>;
}

/** Failures kept per (IP, username): past the delay's cap, more would not change the answer. */
export function failuresKept(o: ConnectFailureOptions): number {
  const doublings = Math.ceil(Math.log2(Math.max(1, o.maxDelayMs / Math.max(1, o.firstDelayMs))));
  return o.maxFailures + doublings + 1;
}

/** The hold-back for the `count`-th failure within the window. */
export function refusalDelay(o: ConnectFailureOptions, count: number): number {
  const excess = count - o.maxFailures;
  if (o.maxFailures <= 0 || excess <= 0) return 0;
  return Math.min(o.maxDelayMs, o.firstDelayMs * 2 ** (excess - 1));
}

/** Keys remembered at most; a spray of addresses and names forgets the oldest. */
const MAX_KEYS = 100_000;

export function createConnectFailures(o: ConnectFailureOptions): ConnectFailures & {
  fail(ip: string, username: string, now: number): number;
} {
  const failures = new Map<string, number[]>();
  const keep = failuresKept(o);
  return {
    fail(ip, username, now) {
      if (o.maxFailures <= 0) return 0;
      const key = `${ip}\u0000${username}`;
      const list = (failures.get(key) ?? []).filter((t) => now - t < o.windowMs);
      list.push(now);
      if (list.length > keep) list.splice(0, list.length - keep);
      failures.delete(key);
      failures.set(key, list);
      if (failures.size > MAX_KEYS) failures.delete(failures.keys().next().value as string);
      return refusalDelay(o, list.length);
    },
  };
}
