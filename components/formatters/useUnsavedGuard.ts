'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';

/**
 * Keeps unsaved formatter edits from being lost: the browser asks before a reload, a closed tab
 * or a typed address (`beforeunload`), and an in-app link is held until the user confirms. The
 * App Router has no navigation event to cancel, so clicks on same-origin links are caught
 * before Next's `<Link>` sees them (capture phase) and replayed with `router.push` on confirm.
 */
export function useUnsavedGuard(dirty: boolean) {
  const router = useRouter();
  const [pending, setPending] = useState<string | null>(null);

  useEffect(() => {
    if (!dirty) return;
    const beforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      // Chromium before 119 asks only when returnValue is set.
      e.returnValue = '';
    };
    const click = (e: MouseEvent) => {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      const a = (e.target as Element | null)?.closest?.('a[href]');
      if (
        !(a instanceof HTMLAnchorElement) ||
        (a.target && a.target !== '_self') ||
        a.hasAttribute('download')
      )
        return;
      const url = new URL(a.href, location.href);
      if (url.origin !== location.origin) return;
      if (url.pathname === location.pathname && url.search === location.search) return;
      e.preventDefault();
      e.stopPropagation();
      setPending(url.pathname + url.search + url.hash);
    };
    window.addEventListener('beforeunload', beforeUnload);
    document.addEventListener('click', click, true);
    return () => {
      window.removeEventListener('beforeunload', beforeUnload);
      document.removeEventListener('click', click, true);
    };
  }, [dirty]);

  return {
    /** The address a held link leads to, while the user is asked. */
    pending,
    leave: () => {
      const to = pending;
      setPending(null);
      if (to) router.push(to);
    },
    stay: () => setPending(null),
  };
}
