import type { ApiKeyRecord, Application, EndDevice, EndDeviceKeys } from '../store/ports';

/** Store records → the TTS JSON shapes the API returns. Empty fields are omitted, as proto-JSON. */
const compact = <T extends object>(o: T) =>
  Object.fromEntries(
    Object.entries(o).filter(([, v]) => v !== undefined && v !== null && v !== ''),
  ) as Partial<T>;

export const applicationView = (a: Application) =>
  compact({
    ids: { application_id: a.application_id },
    name: a.name,
    description: a.description,
    created_at: a.created_at,
    updated_at: a.updated_at,
  });

/**
 * `keys` only when the caller asked with a field mask and holds READ_KEYS (deviceFields.ts):
 * then `root_keys` and `session` in TTS's shape.
 */
export const deviceView = (d: EndDevice, keys?: EndDeviceKeys) =>
  compact({
    ids: compact({
      device_id: d.device_id,
      application_ids: { application_id: d.application_id },
      dev_eui: d.dev_eui,
      join_eui: d.join_eui,
      dev_addr: d.dev_addr,
    }),
    name: d.name,
    description: d.description,
    frequency_plan_id: d.frequency_plan_id,
    lorawan_version: d.lorawan_version,
    lorawan_phy_version: d.lorawan_phy_version,
    supports_join: d.supports_join ?? undefined,
    version_ids: d.version_ids,
    root_keys: keys?.app_key ? { app_key: { key: keys.app_key } } : undefined,
    session: keys?.session ? sessionView(keys.session) : undefined,
    last_seen_at: d.last_seen_at,
    created_at: d.created_at,
    updated_at: d.updated_at,
  });

const sessionView = (s: NonNullable<EndDeviceKeys['session']>) =>
  compact({
    dev_addr: s.dev_addr,
    keys: {
      session_key_id: Buffer.from(s.session_key_id, 'hex').toString('base64'),
      f_nwk_s_int_key: { key: s.f_nwk_s_int_key },
      app_s_key: { key: s.app_s_key },
    },
    last_f_cnt_up: s.last_f_cnt_up,
    last_n_f_cnt_down: s.last_f_cnt_down,
  });

export const apiKeyView = (k: ApiKeyRecord) =>
  compact({
    id: k.id,
    name: k.name,
    rights: k.rights,
    expires_at: k.expires_at,
    created_at: k.created_at,
    updated_at: k.updated_at,
  });
