import { createApplicationRequest } from '@/lib/schemas/applications';
import { requireAdmin, visibleApplication } from '@/server/auth/principal';
import { apiRoute } from '@/server/http/route';
import { applicationView } from '@/server/http/views';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(async ({ rt, principal }) => {
  const apps = await rt.store.applications.list();
  return {
    applications: apps.filter((a) => visibleApplication(principal, a.application_id)).map(applicationView),
  };
});

/** Creating applications is the console admin's: an API key belongs to one existing application. */
export const POST = apiRoute(async ({ rt, principal, body }) => {
  requireAdmin(principal);
  const { application } = await body(createApplicationRequest);
  const created = await rt.store.applications.create(
    application.ids.application_id,
    application,
    rt.clock.now(),
  );
  return applicationView(created);
});
