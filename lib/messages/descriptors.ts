import { LOCATION_SOURCES, PRIORITIES } from './types';

/**
 * Field tables for the proto-JSON codec, in proto declaration order (TTS writes keys in that
 * order). One table drives both the writer and the reader, so they cannot disagree.
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

const camelOf = (snake: string) => snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const msg = (fields: Record<string, Kind>): Descriptor =>
  Object.entries(fields).map(([name, kind]) => ({ name, camel: camelOf(name), kind }));
const m = (d: Descriptor): Kind => ({ message: d });
const rep = (kind: Kind): Kind => ({ repeated: kind });

export const gatewayIds = msg({ gateway_id: 'string', eui: 'hex' });
export const endDeviceIds = msg({
  device_id: 'string',
  application_ids: m(msg({ application_id: 'string' })),
  dev_eui: 'hex',
  join_eui: 'hex',
  dev_addr: 'hex',
});
export const location = msg({
  latitude: 'float',
  longitude: 'float',
  altitude: 'int32',
  accuracy: 'int32',
  source: { enum: LOCATION_SOURCES },
});
const rxMetadata = msg({
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
const dataRate = msg({
  lora: m(msg({ bandwidth: 'uint32', spreading_factor: 'uint32', coding_rate: 'string' })),
  fsk: m(msg({ bit_rate: 'uint32' })),
});
const txSettings = msg({
  data_rate: m(dataRate),
  data_rate_index: 'uint32',
  coding_rate: 'string',
  frequency: 'int64',
  timestamp: 'uint32',
  time: 'time',
  gateway_channel_index: 'uint32',
  device_channel_index: 'uint32',
});
const versionIds = msg({
  brand_id: 'string',
  model_id: 'string',
  hardware_version: 'string',
  firmware_version: 'string',
  band_id: 'string',
});
const networkIds = msg({
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
} as const satisfies Record<string, Kind>;

export const applicationUplink = msg({
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
const applicationUplinkNormalized = msg({
  session_key_id: 'bytes',
  f_port: 'uint32',
  f_cnt: 'uint32',
  frm_payload: 'bytes',
  normalized_payload: 'struct',
  normalized_payload_warnings: rep('string'),
  ...uplinkTail,
});
const joinAccept = msg({ session_key_id: 'bytes', pending_session: 'bool', received_at: 'time' });

export const applicationDownlink = msg({
  session_key_id: 'bytes',
  f_port: 'uint32',
  f_cnt: 'uint32',
  frm_payload: 'bytes',
  decoded_payload: 'struct',
  decoded_payload_warnings: rep('string'),
  confirmed: 'bool',
  class_b_c: m(
    msg({
      gateways: rep(m(msg({ gateway_ids: m(gatewayIds), antenna_index: 'uint32', group_index: 'uint32' }))),
      absolute_time: 'time',
    }),
  ),
  priority: { enum: PRIORITIES },
  correlation_ids: rep('string'),
  confirmed_retry: m(msg({ attempt: 'uint32', max_attempts: 'uint32' })),
});
const errorDetails = msg({
  namespace: 'string',
  name: 'string',
  message_format: 'string',
  attributes: 'struct',
  correlation_id: 'string',
  code: 'uint32',
});

export const upBodies = msg({
  uplink_message: m(applicationUplink),
  uplink_normalized: m(applicationUplinkNormalized),
  join_accept: m(joinAccept),
  downlink_ack: m(applicationDownlink),
  downlink_nack: m(applicationDownlink),
  downlink_sent: m(applicationDownlink),
  downlink_failed: m(msg({ downlink: m(applicationDownlink), error: m(errorDetails) })),
  downlink_queued: m(applicationDownlink),
  downlink_queue_invalidated: m(
    msg({ downlinks: rep(m(applicationDownlink)), last_f_cnt_down: 'uint32', session_key_id: 'bytes' }),
  ),
  location_solved: m(msg({ service: 'string', location: m(location), attributes: { map: 'string' } })),
  service_data: m(msg({ service: 'string', data: 'struct' })),
});

export const applicationUp = msg({
  end_device_ids: m(endDeviceIds),
  correlation_ids: rep('string'),
  received_at: 'time',
  ...Object.fromEntries(upBodies.map((f) => [f.name, f.kind])),
  simulated: 'bool',
});
