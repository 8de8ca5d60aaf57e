import { writeFormatters } from '@/lib/formatters/model';
import { setLinkRequest } from '@/lib/schemas/formatters';
import { requireRights } from '@/server/auth/principal';
import { apiRoute } from '@/server/http/route';

export const dynamic = 'force-dynamic';
type Params = { app: string };

/** TTS `GET /as/applications/{app}/link`: the application's default formatters (docs/behaviour.md §7). */
export const GET = apiRoute<Params>(async ({ rt, principal, params }) => {
  requireRights(principal, params.app, 'RIGHT_APPLICATION_INFO');
  const link = await rt.formatters.getLink(params.app);
  const f = link.default_formatters && writeFormatters(link.default_formatters);
  return f && Object.keys(f).length > 0 ? { default_formatters: f } : {};
});

/** TTS `PUT /as/applications/{app}/link`; `default_formatters: null` (or absent) clears them. */
export const PUT = apiRoute<Params>(async ({ rt, principal, params, body }) => {
  requireRights(principal, params.app, 'RIGHT_APPLICATION_SETTINGS_BASIC');
  const { default_formatters } = await body(setLinkRequest);
  const link = default_formatters ? { default_formatters: writeFormatters(default_formatters) } : {};
  await rt.formatters.setLink(params.app, link);
  return link;
});
