import { CSRF_COOKIE, readCookie, requireCsrfToken, SESSION_COOKIE } from '@/server/http/authenticate';
import { requireSameOrigin } from '@/server/http/csrf';
import { errorResponse } from '@/server/http/route';
import { runtime } from '@/server/http/runtime';

export const dynamic = 'force-dynamic';

/** Ends the session; a console mutation like any other, so it needs the CSRF token. */
export async function POST(req: Request): Promise<Response> {
  const rt = runtime();
  try {
    const sessionId = readCookie(req, SESSION_COOKIE);
    const session = sessionId ? await rt.consoleAuth.session(sessionId) : undefined;
    if (sessionId && session) {
      requireCsrfToken(req, session.csrfToken);
      await rt.consoleAuth.logout(sessionId);
    } else requireSameOrigin(req);
    const headers = new Headers({ 'cache-control': 'no-store' });
    headers.append('set-cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`);
    headers.append('set-cookie', `${CSRF_COOKIE}=; Path=/; SameSite=Lax; Max-Age=0`);
    return Response.json({}, { headers });
  } catch (e) {
    return errorResponse(e, rt.log);
  }
}
