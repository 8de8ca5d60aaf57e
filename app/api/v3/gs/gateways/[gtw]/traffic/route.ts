import { requireAdmin } from '@/server/auth/principal';
import { trafficAfter, trafficEventView } from '@/server/http/gatewayStatus';
import { apiRoute } from '@/server/http/route';

export const dynamic = 'force-dynamic';
type Params = { gtw: string };

/** The gateway's traffic ring after `?after=<seq>`, oldest first; empty until it is heard. */
export const GET = apiRoute<Params>(async ({ rt, principal, params, req }) => {
  requireAdmin(principal);
  const after = trafficAfter(req);
  const { eui } = await rt.store.gateways.get(params.gtw);
  return { events: (await rt.gs.view(eui, after)).traffic.map(trafficEventView) };
});
