import { requireAdmin } from '@/server/auth/principal';
import { connectionOf, connectionStatsView } from '@/server/http/gatewayStatus';
import { apiRoute } from '@/server/http/route';

export const dynamic = 'force-dynamic';
type Params = { gtw: string };

/** TTS's `GetGatewayConnectionStats`; gateways are the administrator's (docs/behaviour.md §6.7). */
export const GET = apiRoute<Params>(async ({ rt, principal, params }) => {
  requireAdmin(principal);
  return connectionStatsView(await connectionOf(rt, params.gtw));
});
