import { useSyncExternalStore } from 'react';

/**
 * Whether Mote answered the browser's last request: one value for the whole console, so the
 * offline banner says it once and each card can stop pretending (no "Failed to fetch" beside
 * "Queue is empty", no "last seen" ticking on against a server that is not there).
 */
let reachable = true;
const listeners = new Set<() => void>();

export function setReachable(now: boolean): void {
  if (now === reachable) return;
  reachable = now;
  for (const l of listeners) l();
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

export const useReachable = () =>
  useSyncExternalStore(
    subscribe,
    () => reachable,
    () => true,
  );
