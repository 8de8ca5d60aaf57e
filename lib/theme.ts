/**
 * The console's colour scheme: the system's unless the user chose one. The choice lives in a
 * cookie rather than localStorage so the server renders <html data-theme> and the first paint is
 * right without an inline script (the CSP allows none).
 */
export const THEME_COOKIE = 'mote_theme';
export type ThemeChoice = 'light' | 'dark';

export function parseTheme(value: string | undefined): ThemeChoice | undefined {
  return value === 'light' || value === 'dark' ? value : undefined;
}
