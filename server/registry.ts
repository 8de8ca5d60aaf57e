import type { Mote } from './mote';

/**
 * The running Mote, as route handlers see it. Next bundles route handlers apart from the custom
 * server, so module singletons are not shared: createMote puts the Mote on one globalThis slot
 * and handlers read it through `runtime()`.
 */
export type MoteRuntime = Mote;

const SLOT = Symbol.for('mote.runtime');
type Slot = { [SLOT]?: MoteRuntime };

export function setRuntime(rt: MoteRuntime): void {
  (globalThis as Slot)[SLOT] = rt;
}

export function runtime(): MoteRuntime {
  const rt = (globalThis as Slot)[SLOT];
  if (!rt)
    throw new Error(
      'Mote runtime is not set: start Mote with `npm start` (server/main.ts), not `next start`',
    );
  return rt;
}
