import { downlinksRequest } from '@/lib/schemas/downlinks';
import { requireRights } from '@/server/auth/principal';
import { apiRoute } from '@/server/http/route';

export const dynamic = 'force-dynamic';
type Params = { app: string; dev: string };

/** docs/behaviour.md §5: appends to the device's queue; all-or-nothing; `down/queued` per item. */
export const POST = apiRoute<Params>(async ({ rt, principal, params, body }) => {
  requireRights(principal, params.app, 'RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE');
  const { downlinks } = await body(downlinksRequest);
  await rt.as.downlinks.push(params.app, params.dev, downlinks);
  return {};
});
