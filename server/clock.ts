/** Time as a port, so core logic can be driven by tests without sleeping. */
export interface Clock {
  now(): Date;
}

/**
 * `Date` as Node gives it, taken before Next.js starts: Next wraps the global `Date` (its
 * node-environment-extensions, for prerendering) so that each `new Date()` and `Date.now()`
 * also asks an AsyncLocalStorage whether a prerender is running — 1.6 % of the server's CPU on
 * the uplink path. The dates are the same objects (one prototype), only cheaper to make.
 */
const NativeDate = globalThis.Date;

/** Milliseconds since the epoch (`Date.now()` without Next's wrapper). */
export const nowMs: () => number = NativeDate.now;

export const systemClock: Clock = { now: () => new NativeDate() };
