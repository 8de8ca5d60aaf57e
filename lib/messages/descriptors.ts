import {
  type ApplicationDownlink,
  type ApplicationDownlinkFailed,
  type ApplicationInvalidatedDownlinks,
  type ApplicationJoinAccept,
  type ApplicationLocation,
  type ApplicationServiceData,
  type ApplicationUplink,
  type ApplicationUplinkNormalized,
  type ClassBC,
  type ConfirmedRetry,
  type DataRate,
  type EndDeviceIds,
  type ErrorDetailsMessage,
  type GatewayIds,
  LOCATION_SOURCES,
  type Location,
  type NetworkIds,
  PRIORITIES,
  type RxMetadata,
  type TxSettings,
  type UpBodies,
  type UpEnvelope,
  type VersionIds,
} from './types';

/**
 * Field tables for the proto-JSON codec, in proto declaration order (TTS writes keys in that
 * order). One table drives both the writer and the reader, so they cannot disagree; each table
 * is typed against its interface in types.ts (`Fields<T>`), so they cannot disagree either.
 */
export type Kind =
  | 'string'
  | 'uint32'
  | 'int32'
  | 'int64'
  | 'float'
  | 'bool'
  | 'bytes'
  | 'hex'
  | 'time'
  | 'duration'
  | 'struct'
  | { enum: readonly string[] }
  | { message: Descriptor }
  | { repeated: Kind }
  | { map: Kind };

export interface Field {
  name: string;
  camel: string;
  kind: Kind;
}
export type Descriptor = readonly Field[];

/**
 * The kinds that can carry a value of type V: `Uint8Array` is bytes, a string is text, hex, a
 * time, a duration or an enum, a list is repeated, an index signature is a map (or a Struct when
 * its values are `unknown`), any other object a nested message.
 */
export type KindFor<V> = [V] extends [Uint8Array]
  ? 'bytes'
  : [V] extends [readonly (infer E)[]]
    ? { repeated: KindFor<E> }
    : [V] extends [string]
      ? 'string' | 'hex' | 'time' | 'duration' | { enum: readonly V[] }
      : [V] extends [number]
        ? 'uint32' | 'int32' | 'int64' | 'float'
        : [V] extends [boolean]
          ? 'bool'
          : string extends keyof V
            ? unknown extends V[string]
              ? 'struct'
              : { map: KindFor<V[string]> }
            : { message: Descriptor };

/** The field table of message T: exactly one kind per field of T, each fit for its type. */
export type Fields<T> = { readonly [K in keyof T]-?: KindFor<NonNullable<T[K]>> };

const camelOf = (snake: string) => snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const msg = <T>(fields: Fields<T>): Descriptor =>
  Object.entries(fields as Record<string, Kind>).map(([name, kind]) => ({
    name,
    camel: camelOf(name),
    kind,
  }));
const m = (d: Descriptor) => ({ message: d });
const rep = <K extends Kind>(kind: K) => ({ repeated: kind });

export const gatewayIds = msg<GatewayIds>({ gateway_id: 'string', eui: 'hex' });
export const endDeviceIds = msg<EndDeviceIds>({
  device_id: 'string',
  application_ids: m(msg<EndDeviceIds['application_ids']>({ application_id: 'string' })),
  dev_eui: 'hex',
  join_eui: 'hex',
  dev_addr: 'hex',
});
export const location = msg<Location>({
  latitude: 'float',
  longitude: 'float',
  altitude: 'int32',
  accuracy: 'int32',
  source: { enum: LOCATION_SOURCES },
});
const rxMetadata = msg<RxMetadata>({
  gateway_ids: m(gatewayIds),
  antenna_index: 'uint32',
  time: 'time',
  timestamp: 'uint32',
  fine_timestamp: 'int64',
  rssi: 'float',
  signal_rssi: 'float',
  channel_rssi: 'float',
  rssi_standard_deviation: 'float',
  snr: 'float',
  frequency_offset: 'int64',
  location: m(location),
  uplink_token: 'bytes',
  channel_index: 'uint32',
  gps_time: 'time',
  received_at: 'time',
});
const dataRate = msg<DataRate>({
  lora: m(
    msg<NonNullable<DataRate['lora']>>({
      bandwidth: 'uint32',
      spreading_factor: 'uint32',
      coding_rate: 'string',
    }),
  ),
  fsk: m(msg<NonNullable<DataRate['fsk']>>({ bit_rate: 'uint32' })),
});
const txSettings = msg<TxSettings>({
  data_rate: m(dataRate),
  data_rate_index: 'uint32',
  coding_rate: 'string',
  frequency: 'int64',
  timestamp: 'uint32',
  time: 'time',
  gateway_channel_index: 'uint32',
  device_channel_index: 'uint32',
});
const versionIds = msg<VersionIds>({
  brand_id: 'string',
  model_id: 'string',
  hardware_version: 'string',
  firmware_version: 'string',
  band_id: 'string',
});
const networkIds = msg<NetworkIds>({
  net_id: 'hex',
  ns_id: 'hex',
  tenant_id: 'string',
  cluster_id: 'string',
  cluster_address: 'string',
  tenant_address: 'string',
});
const uplinkTail = {
  rx_metadata: rep(m(rxMetadata)),
  settings: m(txSettings),
  received_at: 'time',
  confirmed: 'bool',
  consumed_airtime: 'duration',
  packet_error_rate: 'float',
  locations: { map: m(location) },
  version_ids: m(versionIds),
  network_ids: m(networkIds),
} as const satisfies Partial<Fields<ApplicationUplink>>;

export const applicationUplink = msg<ApplicationUplink>({
  session_key_id: 'bytes',
  f_port: 'uint32',
  f_cnt: 'uint32',
  frm_payload: 'bytes',
  decoded_payload: 'struct',
  decoded_payload_warnings: rep('string'),
  normalized_payload: rep('struct'),
  normalized_payload_warnings: rep('string'),
  ...uplinkTail,
});
const applicationUplinkNormalized = msg<ApplicationUplinkNormalized>({
  session_key_id: 'bytes',
  f_port: 'uint32',
  f_cnt: 'uint32',
  frm_payload: 'bytes',
  normalized_payload: 'struct',
  normalized_payload_warnings: rep('string'),
  ...uplinkTail,
});
const joinAccept = msg<ApplicationJoinAccept>({
  session_key_id: 'bytes',
  pending_session: 'bool',
  received_at: 'time',
});

export const applicationDownlink = msg<ApplicationDownlink>({
  session_key_id: 'bytes',
  f_port: 'uint32',
  f_cnt: 'uint32',
  frm_payload: 'bytes',
  decoded_payload: 'struct',
  decoded_payload_warnings: rep('string'),
  confirmed: 'bool',
  class_b_c: m(
    msg<ClassBC>({
      gateways: rep(
        m(
          msg<NonNullable<ClassBC['gateways']>[number]>({
            gateway_ids: m(gatewayIds),
            antenna_index: 'uint32',
            group_index: 'uint32',
          }),
        ),
      ),
      absolute_time: 'time',
    }),
  ),
  priority: { enum: PRIORITIES },
  correlation_ids: rep('string'),
  confirmed_retry: m(msg<ConfirmedRetry>({ attempt: 'uint32', max_attempts: 'uint32' })),
});
const errorDetails = msg<ErrorDetailsMessage>({
  namespace: 'string',
  name: 'string',
  message_format: 'string',
  attributes: 'struct',
  correlation_id: 'string',
  code: 'uint32',
});

/** The bodies of an ApplicationUp, in UP_MESSAGES order (lib/topics.ts). */
const upBodyFields: Fields<UpBodies> = {
  uplink_message: m(applicationUplink),
  uplink_normalized: m(applicationUplinkNormalized),
  join_accept: m(joinAccept),
  downlink_ack: m(applicationDownlink),
  downlink_nack: m(applicationDownlink),
  downlink_sent: m(applicationDownlink),
  downlink_failed: m(
    msg<ApplicationDownlinkFailed>({ downlink: m(applicationDownlink), error: m(errorDetails) }),
  ),
  downlink_queued: m(applicationDownlink),
  downlink_queue_invalidated: m(
    msg<ApplicationInvalidatedDownlinks>({
      downlinks: rep(m(applicationDownlink)),
      last_f_cnt_down: 'uint32',
      session_key_id: 'bytes',
    }),
  ),
  location_solved: m(
    msg<ApplicationLocation>({ service: 'string', location: m(location), attributes: { map: 'string' } }),
  ),
  service_data: m(msg<ApplicationServiceData>({ service: 'string', data: 'struct' })),
};

export const upBodies = msg<UpBodies>(upBodyFields);

export const applicationUp = msg<UpEnvelope & UpBodies>({
  end_device_ids: m(endDeviceIds),
  correlation_ids: rep('string'),
  received_at: 'time',
  ...upBodyFields,
  simulated: 'bool',
});
