/**
 * Device requests → store fields, and `field_mask` → which keys a GET shows (issue 12). Keys are
 * secrets: writing them needs `RIGHT_APPLICATION_DEVICES_WRITE_KEYS`, reading them
 * `RIGHT_APPLICATION_DEVICES_READ_KEYS` and a field mask that asks for them (as TTS).
 */

import { defineError } from '../../lib/errors';
import type { DeviceRequestBody, FieldMask } from '../../lib/schemas/applications';
import type { DeviceStore, EndDeviceFields } from '../store/ports';
import { VERSION_FIELDS, type VersionIdsWrite } from '../store/versionIds';

/**
 * `version_ids` as TTS's field mask writes them: `version_ids` names every field,
 * `version_ids.brand_id` one; a named field absent from the body is cleared. Without a mask
 * (Mote's merge update) the fields given are set and the others kept.
 */
function versionIdsWrite(d: DeviceRequestBody, mask: FieldMask | undefined): VersionIdsWrite | undefined {
  if (!mask) return d.version_ids;
  const write: VersionIdsWrite = {};
  for (const f of VERSION_FIELDS) {
    if (mask.paths.includes('version_ids') || mask.paths.includes(`version_ids.${f}`))
      write[f] = d.version_ids?.[f] || null;
  }
  return Object.keys(write).length > 0 ? write : undefined;
}

export function deviceFields(
  d: DeviceRequestBody,
  { creating, mask }: { creating: boolean; mask?: FieldMask },
): { fields: EndDeviceFields; writesKeys: boolean } {
  const { device_id: _, ...ids } = d.ids ?? {};
  const fields: EndDeviceFields = {
    name: d.name,
    description: d.description,
    ...ids,
    frequency_plan_id: d.frequency_plan_id,
    lorawan_version: d.lorawan_version,
    lorawan_phy_version: d.lorawan_phy_version,
    // On create, a root key without `supports_join` makes an OTAA device and a session alone an
    // ABP one; an update changes `supports_join` only when asked.
    supports_join:
      d.supports_join ?? (creating ? (d.root_keys ? true : d.session ? false : undefined) : undefined),
    app_key: d.root_keys?.app_key.key,
    session: d.session && {
      dev_addr: d.session.dev_addr,
      app_s_key: d.session.keys.app_s_key.key,
      f_nwk_s_int_key: d.session.keys.f_nwk_s_int_key.key,
    },
    version_ids: versionIdsWrite(d, mask),
  };
  return { fields, writesKeys: d.root_keys !== undefined || d.session !== undefined };
}

export interface KeyMask {
  rootKeys: boolean;
  sessionKeys: boolean;
}

/** `?field_mask=root_keys,session.keys` (TTS's `field_mask.paths`, comma-separated or repeated). */
export function keyMask(url: URL): KeyMask {
  const paths = url.searchParams
    .getAll('field_mask')
    .flatMap((v) => v.split(','))
    .map((p) => p.trim());
  const under = (prefix: string) => paths.some((p) => p === prefix || p.startsWith(`${prefix}.`));
  return {
    rootKeys: under('root_keys'),
    sessionKeys: paths.includes('session') || under('session.keys'),
  };
}

/** An update that would leave a device unable to activate (docs/behaviour.md §2.6). */
export const incompleteActivation = defineError('pkg/mote', 'invalid_field', 'invalid_argument', '{reason}', {
  attributes: ['field'],
  messageOnly: ['reason'],
});

/**
 * On update, `supports_join` is checked against the keys the device will have: an OTAA device
 * needs its AppKey, an ABP one its session. Refused before anything is written.
 */
export async function checkActivation(
  devices: Pick<DeviceStore, 'getKeys'>,
  app: string,
  dev: string,
  fields: EndDeviceFields,
): Promise<void> {
  if (fields.supports_join === undefined || fields.supports_join === null) return;
  const stored = await devices.getKeys(app, dev);
  if (fields.supports_join && !(fields.app_key ?? stored.app_key))
    throw incompleteActivation({
      field: 'end_device.root_keys.app_key.key',
      reason: '`supports_join` true needs `root_keys.app_key.key`: the device has no AppKey',
    });
  if (!fields.supports_join && !(fields.session ?? stored.session))
    throw incompleteActivation({
      field: 'end_device.session',
      reason:
        '`supports_join` false (ABP) needs `session.dev_addr` and `session.keys`: the device has no session',
    });
}
