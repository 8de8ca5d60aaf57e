import { z } from 'zod';
import { CSRF_COOKIE, SESSION_COOKIE } from '@/server/http/authenticate';
import { clientAddress } from '@/server/http/clientAddress';
import { requireSameOrigin } from '@/server/http/csrf';
import { errorResponse, readBody } from '@/server/http/route';
import { runtime } from '@/server/http/runtime';

export const dynamic = 'force-dynamic';

const loginRequest = z.object({ password: z.string().min(1, 'is required').max(200) });

/**
 * Console login: one admin; failures are throttled per client address. Only from our own
 * origin: another site must not log a visitor into a session of its choosing (login CSRF).
 */
export async function POST(req: Request): Promise<Response> {
  const rt = runtime();
  try {
    requireSameOrigin(req);
    const { password } = await readBody(req, loginRequest);
    const session = await rt.consoleAuth.login(password, clientAddress(req));
    const maxAge = Math.floor((session.expiresAt.getTime() - Date.now()) / 1000);
    const secure = new URL(req.url).protocol === 'https:' ? '; Secure' : '';
    const headers = new Headers({ 'cache-control': 'no-store' });
    headers.append(
      'set-cookie',
      `${SESSION_COOKIE}=${session.sessionId}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure}`,
    );
    headers.append(
      'set-cookie',
      `${CSRF_COOKIE}=${session.csrfToken}; Path=/; SameSite=Lax; Max-Age=${maxAge}${secure}`,
    );
    return Response.json({ ok: true }, { headers });
  } catch (e) {
    return errorResponse(e, rt.log);
  }
}
