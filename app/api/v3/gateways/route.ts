import { createGatewayRequest } from '@/lib/schemas/gateways';
import { requireAdmin } from '@/server/auth/principal';
import { createFields, gatewaysChanged, gatewayView } from '@/server/http/gateways';
import { apiRoute } from '@/server/http/route';

export const dynamic = 'force-dynamic';

/** Gateways are the operator's: the console administrator only (docs/behaviour.md §6.7). */
export const GET = apiRoute(async ({ rt, principal }) => {
  requireAdmin(principal);
  return { gateways: (await rt.store.gateways.list()).map(gatewayView) };
});

export const POST = apiRoute(async ({ rt, principal, body }) => {
  requireAdmin(principal);
  const { gateway } = await body(createGatewayRequest);
  const created = await rt.store.gateways.create(gateway.ids.gateway_id, createFields(gateway));
  gatewaysChanged(rt, created.eui);
  return gatewayView(created);
});
