/**
 * The ApplicationUp message model of docs/behaviour.md §4 (TTS `messages.proto`). Keys are the proto-JSON
 * snake_case names so the model reads like the wire JSON; values are typed: bytes are
 * Uint8Array, 64-bit integers are numbers (written as strings), times are RFC 3339 strings,
 * durations `"0.056576s"` strings, EUIs upper-case hex strings, enums their names.
 *
 * The codec's field tables (descriptors.ts) are typed against these interfaces, so a field in
 * one and not the other fails `tsc`; the bodies an ApplicationUp carries are those of
 * `UP_MESSAGES` (lib/topics.ts), likewise checked.
 */
import { type UP_MESSAGES, UP_TYPES, type UpType } from '../topics';

export { EVENT_OF_TYPE, UP_EVENT, UP_TYPES, type UpEvent, type UpType } from '../topics';

export type Timestamp = string;
export type Duration = string;
export type Struct = Record<string, unknown>;

export const PRIORITIES = [
  'LOWEST',
  'LOW',
  'BELOW_NORMAL',
  'NORMAL',
  'ABOVE_NORMAL',
  'HIGH',
  'HIGHEST',
] as const;
export type Priority = (typeof PRIORITIES)[number];

export const LOCATION_SOURCES = [
  'SOURCE_UNKNOWN',
  'SOURCE_GPS',
  'SOURCE_REGISTRY',
  'SOURCE_IP_GEOLOCATION',
  'SOURCE_WIFI_RSSI_GEOLOCATION',
  'SOURCE_BT_RSSI_GEOLOCATION',
  'SOURCE_LORA_RSSI_GEOLOCATION',
  'SOURCE_LORA_TDOA_GEOLOCATION',
  'SOURCE_COMBINED_GEOLOCATION',
] as const;
export type LocationSource = (typeof LOCATION_SOURCES)[number];

export interface EndDeviceIds {
  device_id: string;
  application_ids: { application_id: string };
  dev_eui?: string;
  join_eui?: string;
  dev_addr?: string;
}

export interface GatewayIds {
  gateway_id: string;
  eui?: string;
}

export interface Location {
  latitude?: number;
  longitude?: number;
  altitude?: number;
  accuracy?: number;
  source?: LocationSource;
}

export interface RxMetadata {
  gateway_ids: GatewayIds;
  antenna_index?: number;
  time?: Timestamp;
  timestamp?: number;
  fine_timestamp?: number;
  rssi?: number;
  signal_rssi?: number;
  channel_rssi?: number;
  rssi_standard_deviation?: number;
  snr?: number;
  frequency_offset?: number;
  location?: Location;
  uplink_token?: Uint8Array;
  channel_index?: number;
  gps_time?: Timestamp;
  received_at?: Timestamp;
}

export interface DataRate {
  lora?: { bandwidth?: number; spreading_factor?: number; coding_rate?: string };
  fsk?: { bit_rate?: number };
}

export interface TxSettings {
  data_rate?: DataRate;
  /** Legacy fields of older TTS versions (the seed's example still shows them). */
  data_rate_index?: number;
  coding_rate?: string;
  frequency?: number;
  timestamp?: number;
  time?: Timestamp;
  gateway_channel_index?: number;
  device_channel_index?: number;
}

export interface VersionIds {
  brand_id?: string;
  model_id?: string;
  hardware_version?: string;
  firmware_version?: string;
  band_id?: string;
}

export interface NetworkIds {
  net_id?: string;
  ns_id?: string;
  tenant_id?: string;
  cluster_id?: string;
  cluster_address?: string;
  tenant_address?: string;
}

export interface ApplicationUplink {
  session_key_id?: Uint8Array;
  f_port?: number;
  f_cnt?: number;
  frm_payload?: Uint8Array;
  decoded_payload?: Struct;
  decoded_payload_warnings?: string[];
  normalized_payload?: Struct[];
  normalized_payload_warnings?: string[];
  rx_metadata?: RxMetadata[];
  settings?: TxSettings;
  received_at?: Timestamp;
  confirmed?: boolean;
  consumed_airtime?: Duration;
  packet_error_rate?: number;
  locations?: Record<string, Location>;
  version_ids?: VersionIds;
  network_ids?: NetworkIds;
}

export interface ApplicationUplinkNormalized
  extends Omit<ApplicationUplink, 'normalized_payload' | 'decoded_payload' | 'decoded_payload_warnings'> {
  normalized_payload?: Struct;
}

export interface ApplicationJoinAccept {
  session_key_id?: Uint8Array;
  pending_session?: boolean;
  received_at?: Timestamp;
}

export interface ClassBC {
  gateways?: { gateway_ids: GatewayIds; antenna_index?: number; group_index?: number }[];
  absolute_time?: Timestamp;
}

export interface ConfirmedRetry {
  attempt?: number;
  max_attempts?: number;
}

/** docs/behaviour.md §5: attempts of a confirmed downlink whose `confirmed_retry.max_attempts` is unset. */
export const DEFAULT_CONFIRMED_ATTEMPTS = 8;

export interface ApplicationDownlink {
  session_key_id?: Uint8Array;
  f_port?: number;
  f_cnt?: number;
  frm_payload?: Uint8Array;
  decoded_payload?: Struct;
  decoded_payload_warnings?: string[];
  confirmed?: boolean;
  class_b_c?: ClassBC;
  priority?: Priority;
  correlation_ids?: string[];
  confirmed_retry?: ConfirmedRetry;
}

/** TTS `ErrorDetails` (error.proto). */
export interface ErrorDetailsMessage {
  namespace?: string;
  name?: string;
  message_format?: string;
  attributes?: Struct;
  correlation_id?: string;
  code?: number;
}

export interface ApplicationDownlinkFailed {
  downlink?: ApplicationDownlink;
  error?: ErrorDetailsMessage;
}

export interface ApplicationInvalidatedDownlinks {
  downlinks?: ApplicationDownlink[];
  last_f_cnt_down?: number;
  session_key_id?: Uint8Array;
}

export interface ApplicationLocation {
  service?: string;
  location?: Location;
  attributes?: Record<string, string>;
}

export interface ApplicationServiceData {
  service?: string;
  data?: Struct;
}

/** Every body an ApplicationUp can carry, by its JSON field name: one per `UP_MESSAGES` entry. */
export interface UpBodies {
  uplink_message: ApplicationUplink;
  uplink_normalized: ApplicationUplinkNormalized;
  join_accept: ApplicationJoinAccept;
  downlink_ack: ApplicationDownlink;
  downlink_nack: ApplicationDownlink;
  downlink_sent: ApplicationDownlink;
  downlink_failed: ApplicationDownlinkFailed;
  downlink_queued: ApplicationDownlink;
  downlink_queue_invalidated: ApplicationInvalidatedDownlinks;
  location_solved: ApplicationLocation;
  service_data: ApplicationServiceData;
}

/** Compiles only when UpBodies has exactly the bodies of UP_MESSAGES: the compiler's link. */
type SameKeys<A, B> = [Exclude<keyof A, keyof B> | Exclude<keyof B, keyof A>] extends [never] ? true : false;
type Assert<T extends true> = T;
export type UpBodiesMatchUpMessages = Assert<SameKeys<UpBodies, typeof UP_MESSAGES>>;

export interface UpEnvelope {
  end_device_ids: EndDeviceIds;
  correlation_ids?: string[];
  received_at?: Timestamp;
  simulated?: boolean;
}

/** Exactly one body (docs/behaviour.md §4). */
export type ApplicationUp = {
  [T in UpType]: UpEnvelope & { [K in T]: UpBodies[T] } & { [K in Exclude<UpType, T>]?: never };
}[UpType];

export const upTypeOf = (up: ApplicationUp): UpType => {
  for (const t of UP_TYPES) if ((up as Partial<UpBodies>)[t] !== undefined) return t;
  throw new Error('ApplicationUp without a body');
};
