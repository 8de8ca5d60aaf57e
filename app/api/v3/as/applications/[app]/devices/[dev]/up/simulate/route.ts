import { z } from 'zod';
import { requireRights } from '@/server/auth/principal';
import { apiRoute } from '@/server/http/route';

export const dynamic = 'force-dynamic';
type Params = { app: string; dev: string };

/**
 * docs/behaviour.md §6: `{"uplink_message": {…}}` published as the device's uplink with `simulated: true`.
 * The body is read by the shared proto-JSON reader in the AS core, which names bad fields.
 */
export const POST = apiRoute<Params>(async ({ rt, principal, params, body }) => {
  requireRights(principal, params.app, 'RIGHT_APPLICATION_TRAFFIC_UP_WRITE');
  await rt.as.simulateUplink(params.app, params.dev, await body(z.unknown()));
  return {};
});
