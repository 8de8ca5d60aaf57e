import { formatterTestRequest } from '@/lib/schemas/formatters';
import { runFormatterTest } from '@/server/as/formatters/tryout';
import { requireRights } from '@/server/auth/principal';
import { apiRoute } from '@/server/http/route';

export const dynamic = 'force-dynamic';
type Params = { app: string };

/** Runs a formatter (given, or the saved one) on sample bytes or JSON: the console's test pane. */
export const POST = apiRoute<Params>(async ({ rt, principal, params, body }) => {
  requireRights(principal, params.app, 'RIGHT_APPLICATION_SETTINGS_BASIC');
  const req = await body(formatterTestRequest);
  if (!req.formatters && req.device_id) await rt.store.devices.get(params.app, req.device_id);
  return runFormatterTest(rt.formatters, params.app, req);
});
