import { updateApplicationRequest } from '@/lib/schemas/applications';
import { requireRights } from '@/server/auth/principal';
import { apiRoute } from '@/server/http/route';
import { applicationView } from '@/server/http/views';

export const dynamic = 'force-dynamic';
type Params = { app: string };

export const GET = apiRoute<Params>(async ({ rt, principal, params }) => {
  requireRights(principal, params.app, 'RIGHT_APPLICATION_INFO');
  return applicationView(await rt.store.applications.get(params.app));
});

export const PUT = apiRoute<Params>(async ({ rt, principal, params, body }) => {
  requireRights(principal, params.app, 'RIGHT_APPLICATION_SETTINGS_BASIC');
  const { application } = await body(updateApplicationRequest);
  return applicationView(await rt.store.applications.update(params.app, application, rt.clock.now()));
});

export const DELETE = apiRoute<Params>(async ({ rt, principal, params }) => {
  requireRights(principal, params.app, 'RIGHT_APPLICATION_DELETE');
  const keyIds = await rt.apiKeys.idsOf(params.app);
  await rt.store.applications.delete(params.app);
  await rt.apiKeys.revokeAll(keyIds);
  return {};
});
