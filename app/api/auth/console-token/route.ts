import { requireAdmin } from '@/server/auth/principal';
import { readCookie, SESSION_COOKIE } from '@/server/http/authenticate';
import { unauthenticated } from '@/server/http/errors';
import { apiRoute } from '@/server/http/route';

export const dynamic = 'force-dynamic';

/**
 * A short-lived MQTT password for the console's own MQTT-over-WebSocket connection, bound to
 * this console session: the MQTT session it opens ends when this session does.
 */
export const POST = apiRoute(async ({ req, rt, principal }) => {
  requireAdmin(principal);
  const sessionId = readCookie(req, SESSION_COOKIE);
  const issued = sessionId ? await rt.consoleAuth.issueToken(sessionId) : undefined;
  if (!issued) throw unauthenticated();
  return { token: issued.token, expires_at: issued.expiresAt.toISOString(), ...rt.mqttAddress() };
});
