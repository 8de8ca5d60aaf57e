import { simulatorStartRequest } from '@/lib/schemas/simulator';
import { requireRights } from '@/server/auth/principal';
import { apiRoute } from '@/server/http/route';

export const dynamic = 'force-dynamic';
type Params = { app: string; dev: string };

/** docs/behaviour.md §8: start (or re-tune) a simulated device; answers its simulator status. */
export const POST = apiRoute<Params>(async ({ rt, principal, params, body }) => {
  requireRights(principal, params.app, 'RIGHT_APPLICATION_TRAFFIC_UP_WRITE');
  return rt.sim.start(params.app, params.dev, await body(simulatorStartRequest));
});
