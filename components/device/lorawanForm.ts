/**
 * The device form's LoRaWAN part as data: what the form holds, the hex checks the API makes
 * (lib/lorawan/versions.ts, shared with lib/schemas), and the request bodies of
 * docs/behaviour.md §2.6. Presence rules (an OTAA device needs its AppKey …) are left to the
 * API, whose message the form shows.
 */
import { FREQUENCY_PLANS } from '@/lib/bands/plans';
import {
  isHexBytes,
  MAC_VERSIONS,
  type MacVersionName,
  normalizeHex,
  PHY_VERSIONS_FOR,
} from '@/lib/lorawan/versions';
import type { EndDevice } from '../apiTypes';

export type Activation = 'otaa' | 'abp' | 'none';

export const FREQUENCY_PLAN_IDS = Object.keys(FREQUENCY_PLANS);

export interface LorawanKeys {
  appKey: string;
  devAddr: string;
  appSKey: string;
  nwkSKey: string;
}

export const VERSION_ID_FIELDS = [
  ['brand_id', 'Brand'],
  ['model_id', 'Model'],
  ['hardware_version', 'Hardware version'],
  ['firmware_version', 'Firmware version'],
  ['band_id', 'Band'],
] as const;
export type VersionIdsForm = Record<(typeof VERSION_ID_FIELDS)[number][0], string>;

const noVersionIds = (): VersionIdsForm => ({
  brand_id: '',
  model_id: '',
  hardware_version: '',
  firmware_version: '',
  band_id: '',
});

export interface LorawanForm extends LorawanKeys {
  activation: Activation;
  versionIds: VersionIdsForm;
  frequencyPlan: string;
  macVersion: MacVersionName;
  phyVersion: string;
  devEui: string;
  joinEui: string;
}

/** The simulator's own settings (server/sim/keys.ts), so "none" and OTAA start alike. */
export const newLorawanForm = (): LorawanForm => ({
  activation: 'none',
  frequencyPlan: 'EU_863_870',
  macVersion: 'MAC_V1_0_3',
  phyVersion: 'PHY_V1_0_3_REV_A',
  devEui: '',
  joinEui: '0000000000000000',
  appKey: '',
  devAddr: '',
  appSKey: '',
  nwkSKey: '',
  versionIds: noVersionIds(),
});

export const activationOf = (d: EndDevice): Activation =>
  d.supports_join === true ? 'otaa' : d.supports_join === false ? 'abp' : 'none';

const isMacVersion = (v: string | undefined): v is MacVersionName =>
  (MAC_VERSIONS as readonly (string | undefined)[]).includes(v);

/** The keys of a device read with `?field_mask=root_keys,session.keys`. */
export const keysOf = (d: EndDevice): LorawanKeys => ({
  appKey: d.root_keys?.app_key.key ?? '',
  devAddr: d.session?.dev_addr ?? d.ids.dev_addr ?? '',
  appSKey: d.session?.keys.app_s_key?.key ?? '',
  nwkSKey: d.session?.keys.f_nwk_s_int_key?.key ?? '',
});

/** A stored device as the form shows it; keys stay empty unless `d` carries them. */
export function lorawanFormOf(d: EndDevice): LorawanForm {
  const defaults = newLorawanForm();
  return {
    activation: activationOf(d),
    frequencyPlan: d.frequency_plan_id ?? defaults.frequencyPlan,
    macVersion: isMacVersion(d.lorawan_version) ? d.lorawan_version : defaults.macVersion,
    phyVersion: d.lorawan_phy_version ?? defaults.phyVersion,
    devEui: d.ids.dev_eui ?? '',
    joinEui: d.ids.join_eui ?? '',
    ...keysOf(d),
    versionIds: { ...noVersionIds(), ...d.version_ids },
  };
}

/** The filled-in version IDs, or undefined when there are none. */
function versionIdsBody(f: LorawanForm) {
  const out = Object.fromEntries(
    Object.entries(f.versionIds)
      .map(([k, v]) => [k, v.trim()])
      .filter(([, v]) => v !== ''),
  );
  return Object.keys(out).length > 0 ? out : undefined;
}

/** A MAC version change picks the regional parameters published with it. */
export const withMacVersion = (f: LorawanForm, macVersion: MacVersionName): LorawanForm => ({
  ...f,
  macVersion,
  phyVersion: PHY_VERSIONS_FOR[macVersion][0] ?? f.phyVersion,
});

const HEX_FIELDS = {
  devEui: ['DevEUI', 8],
  joinEui: ['JoinEUI', 8],
  appKey: ['AppKey', 16],
  devAddr: ['DevAddr', 4],
  appSKey: ['AppSKey', 16],
  nwkSKey: ['NwkSKey', 16],
} as const satisfies Record<string, readonly [string, number]>;
type HexField = keyof typeof HEX_FIELDS;

const FIELDS_OF: Record<Activation, HexField[]> = {
  none: ['devEui', 'joinEui'],
  otaa: ['devEui', 'joinEui', 'appKey'],
  abp: ['devEui', 'joinEui', 'devAddr', 'appSKey', 'nwkSKey'],
};

/** The first filled-in field of the chosen activation that the API would refuse as hex. */
export function hexProblem(f: LorawanForm): string | undefined {
  for (const field of FIELDS_OF[f.activation]) {
    const value = f[field].trim();
    const [label, bytes] = HEX_FIELDS[field];
    if (value === '' || isHexBytes(value, bytes)) continue;
    const digits = normalizeHex(value);
    const found = /^[0-9A-F]*$/.test(digits) ? `, not ${digits.length}` : '';
    return `${label} must be ${bytes} bytes of hex (${bytes * 2} hex digits${found}).`;
  }
  return undefined;
}

export const randomHex = (bytes: number) =>
  Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase();

const hex = (s: string) => (s.trim() === '' ? undefined : normalizeHex(s));

const session = (f: LorawanKeys) => ({
  dev_addr: hex(f.devAddr),
  keys: { app_s_key: { key: hex(f.appSKey) }, f_nwk_s_int_key: { key: hex(f.nwkSKey) } },
});

const settings = (f: LorawanForm) => ({
  frequency_plan_id: f.frequencyPlan,
  lorawan_version: f.macVersion,
  lorawan_phy_version: f.phyVersion,
});

/** `POST …/devices`: a device without activation is created as before, without settings. */
export function createBody(device: { device_id: string; name?: string }, f: LorawanForm) {
  const ids = { device_id: device.device_id, dev_eui: hex(f.devEui), join_eui: hex(f.joinEui) };
  const base = { ids, name: device.name, version_ids: versionIdsBody(f) };
  if (f.activation === 'none') return { end_device: base };
  if (f.activation === 'otaa') {
    const key = hex(f.appKey);
    return {
      end_device: { ...base, ...settings(f), supports_join: true, root_keys: key && { app_key: { key } } },
    };
  }
  return { end_device: { ...base, ...settings(f), supports_join: false, session: session(f) } };
}

/**
 * `PUT …/devices/{dev}` with only what changed. Keys are compared with the ones shown (`shown`,
 * read with the key field mask); while they are hidden only a new activation sends keys. A
 * session is sent whole, as the API takes it (and it starts its frame counters over).
 */
export function updateBody(
  stored: EndDevice,
  shown: LorawanKeys | undefined,
  f: LorawanForm & { name: string; description?: string },
) {
  const d: Record<string, unknown> = {};
  const ids: Record<string, string | undefined> = {};
  if (hex(f.devEui) !== stored.ids.dev_eui) ids.dev_eui = hex(f.devEui);
  if (hex(f.joinEui) !== stored.ids.join_eui) ids.join_eui = hex(f.joinEui);
  if (Object.values(ids).some((v) => v !== undefined)) d.ids = ids;
  if (f.name !== (stored.name ?? '') && f.name !== '') d.name = f.name;
  if (f.description !== undefined && f.description !== (stored.description ?? ''))
    d.description = f.description;
  const was = activationOf(stored);
  const newActivation = f.activation !== was;
  if (f.activation !== 'none') {
    const s = settings(f);
    if (s.frequency_plan_id !== stored.frequency_plan_id) d.frequency_plan_id = s.frequency_plan_id;
    if (s.lorawan_version !== stored.lorawan_version) d.lorawan_version = s.lorawan_version;
    if (s.lorawan_phy_version !== stored.lorawan_phy_version) d.lorawan_phy_version = s.lorawan_phy_version;
  }
  if (newActivation && f.activation !== 'none') d.supports_join = f.activation === 'otaa';
  const changed = (k: keyof LorawanKeys) =>
    newActivation || (shown !== undefined && hex(f[k]) !== hex(shown[k]));
  if (f.activation === 'otaa' && changed('appKey')) {
    const key = hex(f.appKey);
    if (key) d.root_keys = { app_key: { key } };
  }
  if (f.activation === 'abp' && (['devAddr', 'appSKey', 'nwkSKey'] as const).some(changed))
    d.session = session(f);
  // Sent whole under the `version_ids` field mask, so a field emptied here is cleared.
  const versionIds = versionIdsBody(f);
  const versionIdsChanged = JSON.stringify(versionIds ?? {}) !== JSON.stringify(stored.version_ids ?? {});
  if (versionIdsChanged) d.version_ids = versionIds ?? {};
  if (Object.keys(d).length === 0) return undefined;
  return versionIdsChanged ? { end_device: d, field_mask: { paths: ['version_ids'] } } : { end_device: d };
}
