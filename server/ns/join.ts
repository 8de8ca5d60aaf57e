/**
 * OTAA (LoRaWAN 1.0.3 §6.2) as a pipeline: identify (JoinEUI, DevEUI) → verifyMic (AppKey) →
 * useDevNonce → accept (AppNonce, DevAddr, session keys) → saveSession → publish (AS
 * `handleJoin`) → the JoinAccept, sent in JOIN_ACCEPT_DELAY1.
 */
import { dataRateIndex, type FrequencyPlan, frequencyPlan } from '../../lib/bands';
import { bytesToHex, type EndDeviceIds } from '../../lib/messages';
import { encodeCfList } from './cfList';
import { type NsCore, uplinkCorrelationIds } from './context';
import { type Drop, errorDrop, frameDrop } from './drop';
import { devNonceReused, unknownJoinEui } from './errors';
import { buildJoinAccept, deriveSessionKeys, type JoinRequestFrame, parseJoinRequest } from './lorawan';
import { devAddrFor } from './netId';
import type { NsDevice, NsSession, RadioMetadata, TxRequest } from './ports';
import { rx1Window, rx2Window, txRequest } from './windows';

/** §5.7 RxDelay Del 1: RX1 one second after a data uplink (JoinAccept delays are fixed by the plan). */
const RX_DELAY = 1;
/** §5.4: Mote leaves RX1 at the uplink's data rate. */
const RX1_DR_OFFSET = 0;

const idsOf = (d: NsDevice, devAddr?: string): EndDeviceIds => ({ ...d.ids, dev_addr: devAddr });

type JoinDevice = NsDevice & { appKey: string };

async function identify(core: NsCore, frame: JoinRequestFrame): Promise<JoinDevice | Drop> {
  const device = await core.registry.findForJoin(frame.joinEui, frame.devEui);
  if (device?.appKey) return { ...device, appKey: device.appKey };
  return errorDrop(unknownJoinEui({ join_eui: frame.joinEui, dev_eui: frame.devEui }));
}

function verifyMic(frame: JoinRequestFrame, device: JoinDevice): Drop | undefined {
  const parsed = parseJoinRequest(frame, device.appKey);
  return parsed.ok ? undefined : frameDrop(parsed.error, device.ids);
}

async function useDevNonce(
  core: NsCore,
  frame: JoinRequestFrame,
  device: NsDevice,
): Promise<Drop | undefined> {
  const { application_ids, device_id } = device.ids;
  if (await core.registry.useDevNonce(application_ids.application_id, device_id, frame.devNonce)) return;
  return errorDrop(devNonceReused({ dev_nonce: frame.devNonce }), device.ids);
}

function accept(core: NsCore, frame: JoinRequestFrame, appKey: string, plan: FrequencyPlan) {
  const appNonce = Buffer.from(core.random(3)).readUIntLE(0, 3);
  const devAddr = devAddrFor(core.netId, core.random(4));
  const keys = deriveSessionKeys({ appKey, appNonce, netId: core.netId, devNonce: frame.devNonce });
  const session: NsSession = { devAddr, ...keys, sessionKeyId: bytesToHex(core.random(16)) };
  const phyPayload = buildJoinAccept({
    appKey,
    appNonce,
    netId: core.netId,
    devAddr,
    rx1DrOffset: RX1_DR_OFFSET,
    rx2DataRate: plan.rx2.dr,
    rxDelay: RX_DELAY,
    // Only CFListType 0 (EU868-like bands) is sent: 1.0.3 devices of fixed-channel bands may not
    // know CFListType 1, which RP002-1.0.1 introduced.
    ...(plan.cfList?.type === 'frequencies' ? { cfList: encodeCfList(plan.cfList) } : {}),
  });
  return { session, phyPayload };
}

async function publish(core: NsCore, device: NsDevice, session: NsSession, receivedAt: Date) {
  await core.as.handleJoin(
    idsOf(device, session.devAddr),
    { session_key_id: Buffer.from(session.sessionKeyId, 'hex'), received_at: receivedAt.toISOString() },
    uplinkCorrelationIds(core),
  );
}

export async function handleJoinRequest(
  core: NsCore,
  frame: JoinRequestFrame,
  best: RadioMetadata,
): Promise<TxRequest | Drop> {
  const device = await identify(core, frame);
  if ('drop' in device) return device;
  const bad = verifyMic(frame, device) ?? (await useDevNonce(core, frame, device));
  if (bad) return bad;
  const plan = frequencyPlan(device.frequencyPlanId);
  const { session, phyPayload } = accept(core, frame, device.appKey, plan);
  const { application_ids, device_id } = device.ids;
  await core.registry.saveSession(application_ids.application_id, device_id, session);
  await publish(core, device, session, best.receivedAt);
  core.counters.joins++;
  // §6.2.5: the JoinAccept goes in JOIN_ACCEPT_DELAY1 (RX1 settings), or DELAY2 on RX2.
  const { joinAcceptDelay1, joinAcceptDelay2 } = plan.delays;
  const window =
    rx1Window(plan, best.frequency, dataRateIndex(plan, best.modulation), joinAcceptDelay1) ??
    rx2Window(plan, joinAcceptDelay2);
  return txRequest(plan, window, best, phyPayload);
}
