import { base64ToBytes, bytesToBase64, bytesToHex, type EndDeviceIds } from '../../lib/messages';
import type { IdSource } from '../as/correlation';
import type { ApplicationServer } from '../as/ports';
import { encodeReading, nextReading, PROFILE_F_PORT } from './profile';
import { receiveUplink } from './radio';
import { type Random, randomBytes } from './random';
import type { SimState } from './state';

/**
 * One class A device's turn, with the simulator playing gateway and network server: join first
 * (OTAA: new DevAddr and session key ID), then an uplink whose receive windows may carry a
 * downlink from the queue.
 */
export interface SimDevice {
  applicationId: string;
  deviceId: string;
  devEui: string;
  joinEui: string;
  state: SimState;
}

export interface StepDeps {
  as: ApplicationServer;
  random: Random;
  ids: IdSource;
  now: Date;
}

const idsOf = (d: SimDevice): EndDeviceIds => ({
  device_id: d.deviceId,
  application_ids: { application_id: d.applicationId },
  dev_eui: d.devEui,
  join_eui: d.joinEui,
  dev_addr: d.state.dev_addr,
});

/** TTN's NetID 0x000013 hands out DevAddrs in 26000000/7 (type 3 prefix 0x26, 0x27). */
function newDevAddr(random: Random): string {
  return bytesToHex(randomBytes(random, 4).map((b, i) => (i === 0 ? 0x26 | (b & 0x01) : b)));
}

async function join(deps: StepDeps, d: SimDevice) {
  const sessionKeyId = randomBytes(deps.random, 16);
  d.state = {
    ...d.state,
    joined: true,
    dev_addr: newDevAddr(deps.random),
    session_key_id: bytesToBase64(sessionKeyId),
    f_cnt: 0,
  };
  const correlationIds = [`gs:uplink:${deps.ids.ulid()}`, `ns:uplink:${deps.ids.ulid()}`];
  await deps.as.handleJoin(
    idsOf(d),
    { session_key_id: sessionKeyId, received_at: deps.now.toISOString() },
    correlationIds,
  );
}

async function uplink(deps: StepDeps, d: SimDevice) {
  const reading = nextReading(deps.random, d.state.reading);
  const payload = encodeReading(reading);
  const radio = receiveUplink(deps.random, deps.now, d.state.data_rate_index, payload.length);
  const fCnt = d.state.f_cnt;
  d.state = { ...d.state, reading, f_cnt: fCnt + 1 };
  const ids = idsOf(d);
  const correlationIds = await deps.as.handleUplink(
    ids,
    {
      session_key_id: d.state.session_key_id ? base64ToBytes(d.state.session_key_id) : undefined,
      f_port: PROFILE_F_PORT,
      f_cnt: fCnt,
      frm_payload: payload,
      rx_metadata: radio.rxMetadata,
      settings: radio.settings,
      received_at: deps.now.toISOString(),
      consumed_airtime: radio.consumedAirtime,
      network_ids: { net_id: '000013', tenant_id: 'mote', cluster_id: 'mote-sim' },
    },
    [`gs:uplink:${deps.ids.ulid()}`, `ns:uplink:${deps.ids.ulid()}`],
  );
  // The ACK bit: the device heard the pending confirmed downlink and its answer got through.
  const acknowledged = deps.random() >= d.state.ack_loss;
  await deps.as.receiveWindow(ids, {
    acknowledged,
    dataRateIndex: d.state.data_rate_index,
    uplinkCorrelationIds: correlationIds,
  });
}

export async function step(deps: StepDeps, d: SimDevice): Promise<void> {
  if (!d.state.joined) await join(deps, d);
  else await uplink(deps, d);
  d.state.next_at = new Date(deps.now.getTime() + d.state.interval_ms).toISOString();
}
