import { createDeviceRequest } from '@/lib/schemas/applications';
import { requireRights } from '@/server/auth/principal';
import { apiRoute } from '@/server/http/route';
import { deviceView } from '@/server/http/views';

export const dynamic = 'force-dynamic';
type Params = { app: string };

export const GET = apiRoute<Params>(async ({ rt, principal, params }) => {
  requireRights(principal, params.app, 'RIGHT_APPLICATION_DEVICES_READ');
  await rt.store.applications.get(params.app);
  return { end_devices: (await rt.store.devices.list(params.app)).map(deviceView) };
});

export const POST = apiRoute<Params>(
  async ({ rt, principal, params, body }) => {
    requireRights(principal, params.app, 'RIGHT_APPLICATION_DEVICES_WRITE');
    const { end_device } = await body(createDeviceRequest);
    await rt.store.applications.get(params.app);
    const { device_id, ...ids } = end_device.ids;
    const fields = { name: end_device.name, description: end_device.description, ...ids };
    return deviceView(await rt.store.devices.create(params.app, device_id, fields, rt.clock.now()));
  },
  { status: 201 },
);
