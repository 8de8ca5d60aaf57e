import type { Principal } from '../auth/principal';
import { isSafeMethod, requireSameOrigin } from './csrf';
import { csrfTokenMismatch, invalidApiKey, unauthenticated } from './errors';
import type { MoteRuntime } from './runtime';

export const SESSION_COOKIE = 'mote_session';
export const CSRF_COOKIE = 'mote_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.get('cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/**
 * `Authorization: Bearer <API key>`, or the console session cookie. Cookie-authenticated
 * requests that change something must come from our own origin and echo the session's CSRF
 * token in a header (csrf.ts).
 */
export async function authenticateRequest(req: Request, rt: MoteRuntime): Promise<Principal> {
  const auth = req.headers.get('authorization');
  if (auth) {
    const key = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
    const principal = key === undefined ? undefined : await rt.apiKeys.authenticate(key);
    if (!principal) throw invalidApiKey();
    return principal;
  }
  const sessionId = readCookie(req, SESSION_COOKIE);
  const session = sessionId ? await rt.consoleAuth.session(sessionId) : undefined;
  if (!session) throw unauthenticated();
  requireCsrfToken(req, session.csrfToken);
  const { csrfToken: _, ...principal } = session;
  return principal;
}

/** A console mutation: from our own origin, with the session's CSRF token in the header. */
export function requireCsrfToken(req: Request, csrfToken: string): void {
  if (isSafeMethod(req.method)) return;
  requireSameOrigin(req);
  if (req.headers.get(CSRF_HEADER) !== csrfToken) {
    throw csrfTokenMismatch({ header: CSRF_HEADER });
  }
}
