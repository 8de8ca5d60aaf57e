import { updateGatewayRequest } from '@/lib/schemas/gateways';
import { invalidRequest } from '@/lib/validation';
import { requireAdmin } from '@/server/auth/principal';
import { gatewaysChanged, gatewayView, updateFields } from '@/server/http/gateways';
import { apiRoute } from '@/server/http/route';

export const dynamic = 'force-dynamic';
type Params = { gtw: string };

export const GET = apiRoute<Params>(async ({ rt, principal, params }) => {
  requireAdmin(principal);
  return gatewayView(await rt.store.gateways.get(params.gtw));
});

/** `{"gateway": {…}, "field_mask": {"paths": […]}}`; without a mask, the fields given. */
export const PUT = apiRoute<Params>(async ({ rt, principal, params, body }) => {
  requireAdmin(principal);
  const request = await body(updateGatewayRequest);
  const bodyId = request.gateway.ids?.gateway_id;
  if (bodyId !== undefined && bodyId !== params.gtw)
    throw invalidRequest({
      what: 'request',
      issues: '`gateway.ids.gateway_id`: must be the gateway of the path (an ID cannot change)',
      field: 'gateway.ids.gateway_id',
    });
  const before = await rt.store.gateways.get(params.gtw);
  const updated = await rt.store.gateways.update(params.gtw, updateFields(request));
  gatewaysChanged(rt, before.eui, updated.eui);
  return gatewayView(updated);
});

export const DELETE = apiRoute<Params>(async ({ rt, principal, params }) => {
  requireAdmin(principal);
  const { eui } = await rt.store.gateways.get(params.gtw);
  await rt.store.gateways.delete(params.gtw);
  gatewaysChanged(rt, eui);
  return {};
});
