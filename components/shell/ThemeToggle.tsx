'use client';

import { useEffect, useState } from 'react';
import { THEME_COOKIE, type ThemeChoice } from '@/lib/theme';

const YEAR_S = 365 * 24 * 3600;

function effectiveTheme(): ThemeChoice {
  const chosen = document.documentElement.dataset.theme;
  if (chosen === 'light' || chosen === 'dark') return chosen;
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/**
 * Switches to the other scheme and remembers it; the server renders the next page with it
 * (lib/theme.ts). Until the first click, the system setting rules.
 */
export function ThemeToggle() {
  const [theme, setTheme] = useState<ThemeChoice>();
  useEffect(() => {
    setTheme(effectiveTheme());
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const follow = () => setTheme(effectiveTheme());
    media.addEventListener('change', follow);
    return () => media.removeEventListener('change', follow);
  }, []);
  const next: ThemeChoice = theme === 'dark' ? 'light' : 'dark';
  return (
    <button
      type="button"
      data-testid="theme-toggle"
      aria-label={`Switch to ${next} theme`}
      title={`Switch to ${next} theme`}
      className="rounded-md px-2 py-1 text-sm text-slate-600 hover:bg-slate-100 hover:text-slate-900"
      onClick={() => {
        document.documentElement.dataset.theme = next;
        // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is missing from the Safari and Firefox versions still in use
        document.cookie = `${THEME_COOKIE}=${next}; path=/; max-age=${YEAR_S}; samesite=lax`;
        setTheme(next);
      }}
    >
      <span aria-hidden="true">{theme === 'dark' ? '☀' : '☾'}</span>
    </button>
  );
}
