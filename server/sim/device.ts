/**
 * One class A device's turn, speaking real frames (issue 12 "The simulator speaks real frames"):
 * an OTAA JoinRequest first, then encrypted data uplinks, each handed with the virtual gateways'
 * radio metadata to a RadioTransport (transport.ts: the network layer in-process, or a virtual
 * Semtech UDP gateway), whose answer is taken as the device would: a JoinAccept gives the
 * session, a confirmed downlink is ACKed on the next uplink (LoRaWAN 1.0.3 §4.3.1.2) unless the
 * simulated ACK is lost.
 */
import type { Logger } from '../log';
import {
  buildDataUp,
  buildJoinRequest,
  deriveSessionKeys,
  parseDataDown,
  parseJoinAccept,
  type SessionKeys,
} from '../ns/lorawan';
import { encodeReading, nextReading, PROFILE_F_PORT } from './profile';
import { receiveUplink } from './radio';
import type { Random } from './random';
import type { SimState } from './state';
import type { RadioTransport } from './transport';

export type DeviceSession = SessionKeys & { devAddr: string };

export interface SimDevice {
  applicationId: string;
  deviceId: string;
  devEui: string;
  joinEui: string;
  appKey: string;
  state: SimState;
  /** The session keys, in memory only (state.ts); undefined until joined. */
  session?: DeviceSession;
}

export interface StepDeps {
  transport: RadioTransport;
  random: Random;
  now: Date;
  log: Logger;
}

/** The session the state's last JoinAccept gave, derived again (after a restart). */
export function sessionOf(appKey: string, s: SimState): DeviceSession | undefined {
  if (!s.joined || !s.dev_addr || s.app_nonce === undefined || !s.net_id) return undefined;
  const keys = deriveSessionKeys({ appKey, appNonce: s.app_nonce, netId: s.net_id, devNonce: s.dev_nonce });
  return { devAddr: s.dev_addr, ...keys };
}

/** The uplink goes out; what comes back is the frame received in a receive window, if any. */
const send = (deps: StepDeps, d: SimDevice, phyPayload: Uint8Array) =>
  deps.transport.uplink(phyPayload, receiveUplink(deps.random, deps.now, d.state.data_rate_index));

async function join(deps: StepDeps, d: SimDevice) {
  // 1.0.3 devices may send any DevNonce not used before; a counter never repeats one.
  const devNonce = (d.state.dev_nonce + 1) & 0xffff;
  d.state = { ...d.state, dev_nonce: devNonce };
  const { devEui, joinEui, appKey } = d;
  const frame = await send(deps, d, buildJoinRequest({ joinEui, devEui, devNonce, appKey }));
  // No answer: dropped (reported as `up/drop`); the next turn tries with the next DevNonce.
  if (!frame) return;
  const accept = parseJoinAccept(frame, appKey);
  if (!accept.ok) {
    deps.log.warn({ device: d.deviceId, error: accept.error.name }, 'simulated device refused a JoinAccept');
    return;
  }
  const { appNonce, netId, devAddr } = accept.value;
  d.state = {
    ...d.state,
    joined: true,
    dev_addr: devAddr,
    app_nonce: appNonce,
    net_id: netId,
    f_cnt: 0,
    last_f_cnt_down: undefined,
    ack_due: false,
  };
  d.session = { devAddr, ...deriveSessionKeys({ appKey, appNonce, netId, devNonce }) };
}

async function uplink(deps: StepDeps, d: SimDevice, session: DeviceSession) {
  const reading = nextReading(deps.random, d.state.reading);
  // ack_loss: the device missed the confirmed downlink, or its ACK did not get through.
  const ack = d.state.ack_due === true && deps.random() >= d.state.ack_loss;
  const phyPayload = buildDataUp(
    {
      devAddr: session.devAddr,
      fCnt: d.state.f_cnt,
      fCtrl: { ack },
      fPort: PROFILE_F_PORT,
      frmPayload: encodeReading(reading),
    },
    session,
  );
  d.state = { ...d.state, reading, f_cnt: d.state.f_cnt + 1, ack_due: false };
  const frame = await send(deps, d, phyPayload);
  if (frame) receive(deps, d, session, frame);
}

/** A downlink in the uplink's receive window, checked and decrypted as the device would. */
function receive(deps: StepDeps, d: SimDevice, session: DeviceSession, frame: Uint8Array) {
  const parsed = parseDataDown(frame, { ...session, lastFCnt: d.state.last_f_cnt_down });
  if (!parsed.ok) {
    deps.log.warn({ device: d.deviceId, error: parsed.error.name }, 'simulated device refused a downlink');
    return;
  }
  d.state = { ...d.state, last_f_cnt_down: parsed.value.fCnt, ack_due: parsed.value.confirmed };
}

export async function step(deps: StepDeps, d: SimDevice): Promise<void> {
  if (d.session) await uplink(deps, d, d.session);
  else await join(deps, d);
  d.state.next_at = new Date(deps.now.getTime() + d.state.interval_ms).toISOString();
}
