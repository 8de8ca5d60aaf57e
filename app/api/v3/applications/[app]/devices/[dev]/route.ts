import { updateDeviceRequest } from '@/lib/schemas/applications';
import { requireRights } from '@/server/auth/principal';
import { checkActivation, deviceFields, keyMask } from '@/server/http/deviceFields';
import { apiRoute } from '@/server/http/route';
import { deviceView } from '@/server/http/views';

export const dynamic = 'force-dynamic';
type Params = { app: string; dev: string };

/** `?field_mask=root_keys,session.keys` shows keys, with READ_KEYS only (403 without). */
export const GET = apiRoute<Params>(async ({ req, rt, principal, params }) => {
  requireRights(principal, params.app, 'RIGHT_APPLICATION_DEVICES_READ');
  const mask = keyMask(new URL(req.url));
  const wantsKeys = mask.rootKeys || mask.sessionKeys;
  if (wantsKeys) requireRights(principal, params.app, 'RIGHT_APPLICATION_DEVICES_READ_KEYS');
  const device = await rt.store.devices.get(params.app, params.dev);
  if (!wantsKeys) return deviceView(device);
  const keys = await rt.store.devices.getKeys(params.app, params.dev);
  return deviceView(device, {
    app_key: mask.rootKeys ? keys.app_key : undefined,
    session: mask.sessionKeys ? keys.session : undefined,
  });
});

export const PUT = apiRoute<Params>(async ({ rt, principal, params, body }) => {
  requireRights(principal, params.app, 'RIGHT_APPLICATION_DEVICES_WRITE');
  const { end_device, field_mask } = await body(updateDeviceRequest);
  const { fields, writesKeys } = deviceFields(end_device, { creating: false, mask: field_mask });
  if (writesKeys) requireRights(principal, params.app, 'RIGHT_APPLICATION_DEVICES_WRITE_KEYS');
  await checkActivation(rt.store.devices, params.app, params.dev, fields);
  return deviceView(await rt.store.devices.update(params.app, params.dev, fields, rt.clock.now()));
});

export const DELETE = apiRoute<Params>(async ({ rt, principal, params }) => {
  requireRights(principal, params.app, 'RIGHT_APPLICATION_DEVICES_WRITE');
  await rt.store.devices.delete(params.app, params.dev);
  return {};
});
