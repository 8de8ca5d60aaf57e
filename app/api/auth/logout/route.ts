import { CSRF_COOKIE, readCookie, SESSION_COOKIE } from '@/server/http/authenticate';
import { runtime } from '@/server/registry';

export const dynamic = 'force-dynamic';

export async function POST(req: Request): Promise<Response> {
  const sessionId = readCookie(req, SESSION_COOKIE);
  if (sessionId) await runtime().console.logout(sessionId);
  const headers = new Headers({ 'cache-control': 'no-store' });
  headers.append('set-cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`);
  headers.append('set-cookie', `${CSRF_COOKIE}=; Path=/; SameSite=Lax; Max-Age=0`);
  return Response.json({}, { headers });
}
