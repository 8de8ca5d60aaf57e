/**
 * Where to go after logging in: `?next=` is attacker-chosen, so only a path on this origin is
 * kept (issue 17, item 6). Checked after URL parsing, as the browser will read it: `/\evil`,
 * `/%5Cevil` (decoded by the query string), `/\t/evil` (tabs are stripped) and `//evil` all name
 * another host, and a path that parses to `//…` would be read as one when navigated to.
 */
const BASE = 'http://mote.invalid';

export function safeNextPath(next: string | null | undefined): string {
  if (!next?.startsWith('/')) return '/';
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return '/';
  }
  if (url.origin !== BASE || url.pathname.startsWith('//')) return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}
