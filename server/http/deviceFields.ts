/**
 * Device requests → store fields, and `field_mask` → which keys a GET shows (issue 12). Keys are
 * secrets: writing them needs `RIGHT_APPLICATION_DEVICES_WRITE_KEYS`, reading them
 * `RIGHT_APPLICATION_DEVICES_READ_KEYS` and a field mask that asks for them (as TTS).
 */
import type { DeviceRequestBody } from '../../lib/schemas/applications';
import type { EndDeviceFields } from '../store/ports';

export function deviceFields(
  d: DeviceRequestBody,
  { creating }: { creating: boolean },
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
