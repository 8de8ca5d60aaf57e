/** The HTTP API's JSON shapes (TTS v3) as the console reads them. */
export interface Application {
  ids: { application_id: string };
  name?: string;
  description?: string;
  created_at?: string;
  updated_at?: string;
}

export interface EndDevice {
  ids: {
    device_id: string;
    application_ids?: { application_id: string };
    dev_eui?: string;
    join_eui?: string;
    dev_addr?: string;
  };
  name?: string;
  description?: string;
  frequency_plan_id?: string;
  lorawan_version?: string;
  lorawan_phy_version?: string;
  supports_join?: boolean;
  /** TTS `EndDeviceVersionIdentifiers`; carried on every uplink (issue 15). */
  version_ids?: Partial<
    Record<'brand_id' | 'model_id' | 'hardware_version' | 'firmware_version' | 'band_id', string>
  >;
  /** Only from `GET …/devices/{dev}?field_mask=root_keys,session.keys` (docs/behaviour.md §2.6). */
  root_keys?: { app_key: { key: string } };
  session?: { dev_addr: string; keys: { app_s_key?: { key: string }; f_nwk_s_int_key?: { key: string } } };
  last_seen_at?: string;
  created_at?: string;
}

export interface ApiKey {
  id: string;
  name?: string;
  rights?: string[];
  expires_at?: string;
  created_at?: string;
  updated_at?: string;
}

export interface GatewayLocation {
  latitude: number;
  longitude: number;
  altitude?: number;
}

export interface Gateway {
  ids: { gateway_id: string; eui: string };
  name?: string;
  description?: string;
  frequency_plan_id: string;
  antennas?: { location?: GatewayLocation }[];
  created_at?: string;
  updated_at?: string;
}

export const enc = encodeURIComponent;
export const appPath = (app: string) => `/api/v3/applications/${enc(app)}`;
export const devicePath = (app: string, dev: string) => `${appPath(app)}/devices/${enc(dev)}`;
export const asDevicePath = (app: string, dev: string) =>
  `/api/v3/as/applications/${enc(app)}/devices/${enc(dev)}`;
export const gatewayPath = (gtw: string) => `/api/v3/gateways/${enc(gtw)}`;

/** `GET /api/v3/gs/gateways/{id}/connection/stats` (TTS's GatewayConnectionStats, plus Mote's own). */
export interface GatewayConnectionStats {
  connected_at: string;
  protocol: string;
  connected: boolean;
  last_seen_at: string;
  last_status_received_at?: string;
  last_status?: {
    time?: string;
    antenna_locations?: GatewayLocation[];
    metrics: Record<string, number>;
  };
  last_uplink_received_at?: string;
  uplink_count?: string;
  last_downlink_received_at?: string;
  downlink_count?: string;
  last_pull_received_at?: string;
  remote_address?: string;
  uplink_crc_failed_count?: string;
  tx_acks: Record<string, number>;
}

/** One event of `GET /api/v3/gs/gateways/{id}/traffic`. */
export interface GatewayTrafficEvent {
  seq: number;
  time: string;
  kind: 'up' | 'down' | 'tx_ack' | 'status';
  m_type?: string;
  dev_addr?: string;
  dev_eui?: string;
  device_ids?: { application_ids: { application_id: string }; device_id: string };
  f_cnt?: number;
  rssi?: number;
  snr?: number;
  frequency?: number;
  data_rate?: string;
  size?: number;
  window?: string;
  result?: string;
  dropped?: string;
}

export interface UnregisteredGateway {
  eui: string;
  first_seen_at: string;
  last_seen_at: string;
  uplinks: number;
  remote_address?: string;
}

export const gatewayStatsPath = (gtw: string) => `/api/v3/gs/gateways/${enc(gtw)}/connection/stats`;
export const gatewayTrafficPath = (gtw: string, after: number) =>
  `/api/v3/gs/gateways/${enc(gtw)}/traffic?after=${after}`;
