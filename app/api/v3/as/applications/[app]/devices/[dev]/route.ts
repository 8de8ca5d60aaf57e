import { writeFormatters } from '@/lib/formatters/model';
import { setDeviceFormattersRequest } from '@/lib/schemas/formatters';
import { requireRights } from '@/server/auth/principal';
import { apiRoute } from '@/server/http/route';

export const dynamic = 'force-dynamic';
type Params = { app: string; dev: string };

const view = (app: string, dev: string, formatters: ReturnType<typeof writeFormatters> | undefined) => ({
  ids: { device_id: dev, application_ids: { application_id: app } },
  ...(formatters && Object.keys(formatters).length > 0 ? { formatters } : {}),
});

/** The AS's part of an end device (TTS `GET /as/applications/{app}/devices/{dev}`): its formatters. */
export const GET = apiRoute<Params>(async ({ rt, principal, params }) => {
  requireRights(principal, params.app, 'RIGHT_APPLICATION_DEVICES_READ');
  const f = await rt.formatters.getDevice(params.app, params.dev);
  return view(params.app, params.dev, f && writeFormatters(f));
});

/** `{"end_device": {"formatters": {…}}}` overrides the application's; `null` or `{}` clears it. */
export const PUT = apiRoute<Params>(async ({ rt, principal, params, body }) => {
  requireRights(principal, params.app, 'RIGHT_APPLICATION_DEVICES_WRITE');
  const { end_device } = await body(setDeviceFormattersRequest);
  const f = end_device.formatters ? writeFormatters(end_device.formatters) : undefined;
  const kept = f && Object.keys(f).length > 0 ? f : undefined;
  await rt.formatters.setDevice(params.app, params.dev, kept);
  return view(params.app, params.dev, kept);
});
