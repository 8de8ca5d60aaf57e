'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';

/** What a held navigation was: an in-app link's address, or the browser's Back. */
const BACK = Symbol('back');
type Held = string | typeof BACK;

/**
 * Keeps unsaved formatter edits from being lost: the browser asks before a reload, a closed tab
 * or a typed address (`beforeunload`), and an in-app link or the Back button is held until the
 * user confirms. The App Router has no navigation event to cancel, so clicks on same-origin
 * links are caught before Next's `<Link>` sees them (capture phase) and replayed with the
 * router on confirm. Back cannot be cancelled either (popstate fires after the fact): while
 * there are edits, a copy of this page's history entry sits on top, so Back only pops that
 * copy; the pop is kept from Next's listener, and confirming goes back once more for real.
 */
export function useUnsavedGuard(dirty: boolean) {
  const router = useRouter();
  const [pending, setPending] = useState<Held | null>(null);
  /** Our copy of the entry is on top of the history. */
  const armed = useRef(false);
  /** Pops we caused ourselves (dropping the copy), to keep from Next. */
  const swallow = useRef(0);

  useEffect(() => {
    // Capture on window runs before Next's own popstate listener there.
    const popState = (e: PopStateEvent) => {
      if (swallow.current > 0) {
        swallow.current--;
        e.stopImmediatePropagation();
      } else if (armed.current) {
        armed.current = false;
        e.stopImmediatePropagation();
        setPending(BACK);
      }
    };
    window.addEventListener('popstate', popState, true);
    return () => window.removeEventListener('popstate', popState, true);
  }, []);

  useEffect(() => {
    if (dirty && !armed.current) {
      // Next's state is copied, so its router reads the copy as this very page.
      window.history.pushState(window.history.state, '', window.location.href);
      armed.current = true;
    } else if (!dirty && armed.current) {
      armed.current = false;
      swallow.current++;
      window.history.back();
    }
  }, [dirty]);

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
    /** The held navigation, while the user is asked. */
    pending,
    leave: () => {
      const to = pending;
      setPending(null);
      if (to === BACK) window.history.back();
      else if (to && armed.current) {
        // The copy of this page's entry becomes the next page's: Back then returns here once.
        armed.current = false;
        router.replace(to);
      } else if (to) router.push(to);
    },
    stay: () => {
      setPending(null);
      if (pending === BACK && !armed.current) {
        window.history.pushState(window.history.state, '', window.location.href);
        armed.current = true;
      }
    },
  };
}
