import { newestUplinksQuery } from '@/lib/schemas/devicePages';
import { parseWith } from '@/lib/validation';
import { requireRights } from '@/server/auth/principal';
import { apiRoute } from '@/server/http/route';

export const dynamic = 'force-dynamic';
type Params = { app: string };

/**
 * Mote's own: each listed device's newest stored uplink (`?device_ids=a,b`), for the console's
 * device list page. `{"uplinks": [ApplicationUp…]}`, the stored text as it went out on MQTT.
 */
export const GET = apiRoute<Params>(async ({ req, rt, principal, params }) => {
  requireRights(principal, params.app, 'RIGHT_APPLICATION_TRAFFIC_READ');
  const { device_ids } = parseWith(
    newestUplinksQuery,
    Object.fromEntries(new URL(req.url).searchParams),
    'query',
  );
  const rows = await rt.store.history.newestUplinks(params.app, device_ids);
  return new Response(`{"uplinks":[${rows.map((r) => r.message).join(',')}]}`, {
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  });
});
