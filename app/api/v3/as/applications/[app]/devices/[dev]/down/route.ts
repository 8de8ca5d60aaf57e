import { requireRights } from '@/server/auth/principal';
import { apiRoute } from '@/server/http/route';

export const dynamic = 'force-dynamic';
type Params = { app: string; dev: string };

/** `{"downlinks": [...]}` in sending order; the stored proto-JSON is sent without re-parsing. */
export const GET = apiRoute<Params>(async ({ rt, principal, params }) => {
  requireRights(principal, params.app, 'RIGHT_APPLICATION_TRAFFIC_READ');
  const items = await rt.as.downlinks.list(params.app, params.dev);
  return new Response(`{"downlinks":[${items.join(',')}]}`, {
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  });
});

/** Clears the queue (as `replace` with `[]`; ttn-lw-cli's `downlink clear`). */
export const DELETE = apiRoute<Params>(async ({ rt, principal, params }) => {
  requireRights(principal, params.app, 'RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE');
  await rt.as.downlinks.clear(params.app, params.dev);
  return {};
});
