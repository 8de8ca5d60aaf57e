import { requireRights } from '@/server/auth/principal';
import { apiRoute } from '@/server/http/route';

export const dynamic = 'force-dynamic';
type Params = { app: string; dev: string };

/** The device's simulator status (running, interval, ack loss, FCnt, …) for the console. */
export const GET = apiRoute<Params>(async ({ rt, principal, params }) => {
  requireRights(principal, params.app, 'RIGHT_APPLICATION_TRAFFIC_READ');
  return rt.sim.status(params.app, params.dev);
});
