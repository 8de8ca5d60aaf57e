import { createDeviceRequest } from '@/lib/schemas/applications';
import { requireRights } from '@/server/auth/principal';
import { deviceFields } from '@/server/http/deviceFields';
import { apiRoute } from '@/server/http/route';
import { deviceView } from '@/server/http/views';

export const dynamic = 'force-dynamic';
type Params = { app: string };

// Listing never shows keys, field mask or not (issue 12): ask for one device to see them.
export const GET = apiRoute<Params>(async ({ rt, principal, params }) => {
  requireRights(principal, params.app, 'RIGHT_APPLICATION_DEVICES_READ');
  await rt.store.applications.get(params.app);
  return { end_devices: (await rt.store.devices.list(params.app)).map((d) => deviceView(d)) };
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
