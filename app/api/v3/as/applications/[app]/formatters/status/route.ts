import { requireRights } from '@/server/auth/principal';
import { apiRoute } from '@/server/http/route';

export const dynamic = 'force-dynamic';
type Params = { app: string };

/**
 * Mote only: the application's JavaScript formatters suspended by their time budget (issue 17
 * item 4), each with when, why, and whether the application's defaults run it.
 */
export const GET = apiRoute<Params>(async ({ rt, principal, params }) => {
  requireRights(principal, params.app, 'RIGHT_APPLICATION_INFO');
  await rt.store.applications.get(params.app);
  return rt.formatters.status(params.app);
});
