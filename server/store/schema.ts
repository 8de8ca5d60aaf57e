import type { Generated } from 'kysely';

/**
 * Table types for Kysely. They stay inside server/store: the rest of Mote sees the domain
 * records the store modules return. Times are ISO-8601 strings so SQLite and PostgreSQL agree.
 */
export interface Database {
  applications: ApplicationsTable;
  end_devices: EndDevicesTable;
  api_keys: ApiKeysTable;
  admin: AdminTable;
  console_sessions: ConsoleSessionsTable;
  downlink_queue: DownlinkQueueTable;
  history: HistoryTable;
  history_correlation_ids: HistoryCorrelationIdsTable;
  end_device_dev_nonces: DevNoncesTable;
  key_encryption: KeyEncryptionTable;
  gateways: GatewaysTable;
}

export interface ApplicationsTable {
  application_id: string;
  name: string;
  description: string;
  /** JSON of per-application settings (formatters, …) owned by later features. */
  settings: string;
  created_at: string;
  updated_at: string;
}

export interface EndDevicesTable {
  application_id: string;
  device_id: string;
  name: string;
  description: string;
  dev_eui: string | null;
  join_eui: string | null;
  dev_addr: string | null;
  /** JSON: session and simulator state owned by the AS core and simulator. */
  session: string;
  settings: string;
  last_seen_at: string | null;
  created_at: string;
  updated_at: string;
  // Migration 003 (devices with keys). `*_sealed`: keyVault.ts output, never a plain key.
  frequency_plan_id: string | null;
  lorawan_version: string | null;
  lorawan_phy_version: string | null;
  /** 0/1; null for devices created before keys existed. */
  supports_join: number | null;
  app_key_sealed: string | null;
  nwk_s_key_sealed: string | null;
  app_s_key_sealed: string | null;
  session_key_id: string | null;
  last_f_cnt_up: number | null;
  last_f_cnt_down: number | null;
  session_abp: number | null;
  // Migration 005: EndDeviceVersionIdentifiers, one column per field.
  version_brand_id: string | null;
  version_model_id: string | null;
  version_hardware_version: string | null;
  version_firmware_version: string | null;
  version_band_id: string | null;
}

export interface DevNoncesTable {
  application_id: string;
  device_id: string;
  dev_nonce: number;
}

export interface KeyEncryptionTable {
  name: string;
  sealed: string;
}

export interface ApiKeysTable {
  id: string;
  application_id: string;
  name: string;
  /** SHA-256 of the secret part of the key: the key is 256-bit random, so a fast hash is right. */
  secret_hash: string;
  rights: string;
  expires_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface AdminTable {
  username: string;
  password_hash: string;
  created_at: string;
}

export interface ConsoleSessionsTable {
  id_hash: string;
  username: string;
  csrf_token: string;
  expires_at: string;
  created_at: string;
}

export interface DownlinkQueueTable {
  seq: Generated<number>;
  application_id: string;
  device_id: string;
  /** ApplicationDownlink as proto-JSON. */
  downlink: string;
  created_at: string;
  /** 0: a confirmed downlink waiting for its retry, sent before lane 1 (migration 002). */
  lane: Generated<number>;
}

export interface HistoryTable {
  seq: Generated<number>;
  application_id: string;
  device_id: string;
  /** `uplink_message`, `join_accept`, `downlink_queued`, … — the body's field name. */
  type: string;
  received_at: string;
  /** The whole ApplicationUp as published. */
  message: string;
}

export interface HistoryCorrelationIdsTable {
  history_seq: number;
  correlation_id: string;
}

/** Migration 004: the gateway registry. `eui` is upper-case hex and unique. */
export interface GatewaysTable {
  gateway_id: string;
  eui: string;
  name: string;
  description: string;
  frequency_plan_id: string;
  latitude: number | null;
  longitude: number | null;
  altitude: number | null;
  created_at: string;
  updated_at: string;
}
