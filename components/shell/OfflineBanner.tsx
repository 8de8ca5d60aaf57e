'use client';

import { useEffect } from 'react';
import { setReachable, useReachable } from '@/lib/console/reachability';

const CHECK_MS = 5_000;

/**
 * Says so when Mote cannot be reached, instead of leaving each card to show its own
 * "Failed to fetch" beside stale data. Asks /healthz (tiny, no session) every few seconds and
 * at once when the browser reports its network gone or back; any API call that gets no answer
 * raises it at once (lib/apiClient.ts).
 */
export function OfflineBanner() {
  const offline = !useReachable();
  useEffect(() => {
    let stopped = false;
    const check = async () => {
      let reachable = false;
      try {
        reachable = (await fetch('/healthz', { cache: 'no-store' })).ok;
      } catch {
        reachable = false;
      }
      if (!stopped) setReachable(reachable);
    };
    const timer = setInterval(check, CHECK_MS);
    const now = () => void check();
    window.addEventListener('online', now);
    window.addEventListener('offline', now);
    return () => {
      stopped = true;
      clearInterval(timer);
      window.removeEventListener('online', now);
      window.removeEventListener('offline', now);
    };
  }, []);
  if (!offline) return null;
  return (
    <div
      role="alert"
      data-testid="offline-banner"
      className="border-b border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-900 sm:px-6"
    >
      <strong className="font-semibold">Mote cannot be reached.</strong> What you see may be out of date; this
      page reconnects by itself when Mote is back.
    </div>
  );
}
