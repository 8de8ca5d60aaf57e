import type { IncomingMessage } from 'node:http';

/**
 * The path and query a page request asked for, for server components, which Next does not
 * tell: a console page that sends the browser to /login must say where to come back to
 * (`?next=`), or a deep link is lost at login. Stamped by the web server before Next's handle();
 * a client-sent copy is replaced.
 */
export const REQUEST_PATH_HEADER = 'x-mote-request-path';

/** Next's client navigations add `_rsc` (a cache buster), which is no part of the page's address. */
export function stampRequestPath(req: IncomingMessage): void {
  const url = new URL(req.url ?? '/', 'http://mote.invalid');
  url.searchParams.delete('_rsc');
  req.headers[REQUEST_PATH_HEADER] = `${url.pathname}${url.search}`;
}
