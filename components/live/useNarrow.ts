'use client';

import { useSyncExternalStore } from 'react';

/** Tailwind's `sm` breakpoint: below it the live table shows each event as a two-line card. */
const QUERY = '(max-width: 639.98px)';

function subscribe(onChange: () => void) {
  const media = window.matchMedia(QUERY);
  media.addEventListener('change', onChange);
  return () => media.removeEventListener('change', onChange);
}

export function useNarrow(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => window.matchMedia(QUERY).matches,
    () => false,
  );
}
