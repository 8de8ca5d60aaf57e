import { requireAdmin } from '@/server/auth/principal';
import { apiRoute } from '@/server/http/route';

export const dynamic = 'force-dynamic';

/** A short-lived MQTT password for the console's own MQTT-over-WebSocket connection. */
export const POST = apiRoute(async ({ rt, principal }) => {
  requireAdmin(principal);
  if (principal.kind !== 'admin') return {};
  const { token, expiresAt } = rt.consoleAuth.issueToken(principal.username);
  return { token, expires_at: expiresAt.toISOString(), ...rt.mqttAddress() };
});
