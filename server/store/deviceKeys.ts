/**
 * Between plain device keys and the sealed `end_devices` columns (migration 003). The only place
 * besides nsDevices.ts that opens a sealed key; keys stay out of EndDevice, so list/get, logs and
 * history never see them (issue 12).
 */
import { randomBytes } from 'node:crypto';
import type { KeyVault } from './keyVault';
import type { EndDevice, EndDeviceFields, EndDeviceKeys } from './ports';
import type { EndDevicesTable } from './schema';
import { VERSION_COLUMNS, versionIdsOf } from './versionIds';

type KeyColumns = Pick<
  EndDevicesTable,
  | 'app_key_sealed'
  | 'nwk_s_key_sealed'
  | 'app_s_key_sealed'
  | 'session_key_id'
  | 'last_f_cnt_up'
  | 'last_f_cnt_down'
  | 'session_abp'
  | 'dev_addr'
>;

/** Sealing context: binds a ciphertext to its device and field. */
export const contextOf = (applicationId: string, deviceId: string, field: string) =>
  `${applicationId}/${deviceId}/${field}`;

/** The `end_devices` values for the key fields present in `fields` (none when absent). */
export function sealedColumns(
  vault: KeyVault,
  applicationId: string,
  deviceId: string,
  fields: Pick<EndDeviceFields, 'app_key' | 'session'>,
): Partial<KeyColumns> {
  const at = (field: string) => contextOf(applicationId, deviceId, field);
  const out: Partial<KeyColumns> = {};
  if (fields.app_key !== undefined) out.app_key_sealed = vault.seal(fields.app_key, at('app_key'));
  if (fields.session !== undefined) {
    out.dev_addr = fields.session.dev_addr;
    out.nwk_s_key_sealed = vault.seal(fields.session.f_nwk_s_int_key, at('nwk_s_key'));
    out.app_s_key_sealed = vault.seal(fields.session.app_s_key, at('app_s_key'));
    // A new session (ABP given by the API): a fresh ID, counters from zero (LoRaWAN 1.0.3 §4.3.1.5).
    out.session_key_id = randomBytes(16).toString('hex').toUpperCase();
    out.last_f_cnt_up = null;
    out.last_f_cnt_down = null;
    out.session_abp = 1;
  }
  return out;
}

export function openKeys(
  vault: KeyVault,
  applicationId: string,
  deviceId: string,
  row: Pick<EndDevicesTable, keyof KeyColumns>,
): EndDeviceKeys {
  const at = (field: string) => contextOf(applicationId, deviceId, field);
  const keys: EndDeviceKeys = {};
  if (row.app_key_sealed) keys.app_key = vault.open(row.app_key_sealed, at('app_key'));
  if (row.nwk_s_key_sealed && row.app_s_key_sealed && row.dev_addr) {
    keys.session = {
      dev_addr: row.dev_addr,
      f_nwk_s_int_key: vault.open(row.nwk_s_key_sealed, at('nwk_s_key')),
      app_s_key: vault.open(row.app_s_key_sealed, at('app_s_key')),
      session_key_id: row.session_key_id ?? '',
      last_f_cnt_up: row.last_f_cnt_up ?? undefined,
      last_f_cnt_down: row.last_f_cnt_down ?? undefined,
    };
  }
  return keys;
}

/** The row's public part: never a key. */
export const DEVICE_COLUMNS = [
  'application_id',
  'device_id',
  'name',
  'description',
  'dev_eui',
  'join_eui',
  'dev_addr',
  'last_seen_at',
  'created_at',
  'updated_at',
  'frequency_plan_id',
  'lorawan_version',
  'lorawan_phy_version',
  'supports_join',
  ...VERSION_COLUMNS,
] as const;

export function toEndDevice(row: Pick<EndDevicesTable, (typeof DEVICE_COLUMNS)[number]>): EndDevice {
  const {
    version_brand_id: _b,
    version_model_id: _m,
    version_hardware_version: _h,
    version_firmware_version: _f,
    version_band_id: _band,
    ...rest
  } = row;
  const device: EndDevice = {
    ...rest,
    supports_join: row.supports_join === null ? null : row.supports_join === 1,
  };
  const versionIds = versionIdsOf(row);
  if (versionIds) device.version_ids = versionIds;
  return device;
}

export const KEY_COLUMNS = [
  'app_key_sealed',
  'nwk_s_key_sealed',
  'app_s_key_sealed',
  'session_key_id',
  'last_f_cnt_up',
  'last_f_cnt_down',
  'session_abp',
  'dev_addr',
] as const;
