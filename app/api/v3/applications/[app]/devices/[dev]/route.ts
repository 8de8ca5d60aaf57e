import { updateDeviceRequest } from '@/lib/schemas/applications';
import { requireRights } from '@/server/auth/principal';
import { apiRoute } from '@/server/http/route';
import { deviceView } from '@/server/http/views';

export const dynamic = 'force-dynamic';
type Params = { app: string; dev: string };

export const GET = apiRoute<Params>(async ({ rt, principal, params }) => {
  requireRights(principal, params.app, 'RIGHT_APPLICATION_DEVICES_READ');
  return deviceView(await rt.store.devices.get(params.app, params.dev));
});

export const PUT = apiRoute<Params>(async ({ rt, principal, params, body }) => {
  requireRights(principal, params.app, 'RIGHT_APPLICATION_DEVICES_WRITE');
  const { end_device } = await body(updateDeviceRequest);
  const { device_id: _, ...ids } = end_device.ids ?? {};
  const fields = { name: end_device.name, description: end_device.description, ...ids };
  return deviceView(await rt.store.devices.update(params.app, params.dev, fields, rt.clock.now()));
});

export const DELETE = apiRoute<Params>(async ({ rt, principal, params }) => {
  requireRights(principal, params.app, 'RIGHT_APPLICATION_DEVICES_WRITE');
  await rt.store.devices.delete(params.app, params.dev);
  return {};
});
