import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { SESSION_COOKIE } from './authenticate';
import { REQUEST_PATH_HEADER } from './requestPath';
import { runtime } from './runtime';

/** The admin session of this request's cookie, if any (for pages that do not require one). */
export async function currentConsoleSession() {
  const sessionId = (await cookies()).get(SESSION_COOKIE)?.value;
  return sessionId ? await runtime().consoleAuth.session(sessionId) : undefined;
}

/**
 * For console pages (server components): the admin session, or a redirect to /login that comes
 * back to the page asked for, query included (the login page keeps only same-origin paths).
 */
export async function requireConsoleSession() {
  const sessionId = (await cookies()).get(SESSION_COOKIE)?.value;
  const session = sessionId ? await runtime().consoleAuth.session(sessionId) : undefined;
  if (!session) {
    const path = (await headers()).get(REQUEST_PATH_HEADER) ?? '/';
    redirect(`/login?next=${encodeURIComponent(path)}`);
  }
  return session;
}
