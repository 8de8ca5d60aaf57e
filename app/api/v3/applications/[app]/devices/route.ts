import { createDeviceRequest } from '@/lib/schemas/applications';
import { deviceListParams, deviceListQuery } from '@/lib/schemas/devicePages';
import { parseWith } from '@/lib/validation';
import { requireRights } from '@/server/auth/principal';
import { deviceFields } from '@/server/http/deviceFields';
import { apiRoute } from '@/server/http/route';
import { deviceView } from '@/server/http/views';

export const dynamic = 'force-dynamic';
type Params = { app: string };

/**
 * TTS's paging (`limit`, 1-based `page`, `order`, total in `X-Total-Count`) plus Mote's `search`.
 * Listing never shows keys, field mask or not (issue 12): ask for one device to see them.
 */
export const GET = apiRoute<Params>(async ({ req, rt, principal, params }) => {
  requireRights(principal, params.app, 'RIGHT_APPLICATION_DEVICES_READ');
  const q = parseWith(deviceListQuery, deviceListParams(new URL(req.url).searchParams), 'query');
  await rt.store.applications.get(params.app);
  const { devices, total } = await rt.store.devices.page(params.app, q);
  return Response.json(
    { end_devices: devices.map((d) => deviceView(d)) },
    { headers: { 'cache-control': 'no-store', 'x-total-count': String(total) } },
  );
});

export const POST = apiRoute<Params>(async ({ rt, principal, params, body }) => {
  requireRights(principal, params.app, 'RIGHT_APPLICATION_DEVICES_WRITE');
  const { end_device } = await body(createDeviceRequest);
  const { fields, writesKeys } = deviceFields(end_device, { creating: true });
  if (writesKeys) requireRights(principal, params.app, 'RIGHT_APPLICATION_DEVICES_WRITE_KEYS');
  await rt.store.applications.get(params.app);
  const device = await rt.store.devices.create(params.app, end_device.ids.device_id, fields, rt.clock.now());
  return deviceView(device);
});
