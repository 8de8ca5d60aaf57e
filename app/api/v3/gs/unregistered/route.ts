import { requireAdmin } from '@/server/auth/principal';
import { unregisteredView } from '@/server/http/gatewayStatus';
import { apiRoute } from '@/server/http/route';

export const dynamic = 'force-dynamic';

/** Gateways heard since the start that are not registered, newest first, so they can be. */
export const GET = apiRoute(async ({ rt, principal }) => {
  requireAdmin(principal);
  return { gateways: rt.gs.unregistered().map(unregisteredView) };
});
