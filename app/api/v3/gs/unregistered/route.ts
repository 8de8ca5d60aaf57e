import { requireAdmin } from '@/server/auth/principal';
import { unregisteredView } from '@/server/http/gatewayStatus';
import { apiRoute } from '@/server/http/route';

export const dynamic = 'force-dynamic';

/**
 * Gateways heard (by any instance) that are not registered, newest first, so they can be. One
 * registered since on another instance, whose entry that instance has not dropped yet, is not.
 */
export const GET = apiRoute(async ({ rt, principal }) => {
  requireAdmin(principal);
  const [heard, registered] = await Promise.all([rt.gs.unregisteredAnywhere(), rt.store.gateways.list()]);
  const known = new Set(registered.map((g) => g.eui));
  return { gateways: heard.filter((c) => !known.has(c.eui)).map(unregisteredView) };
});
