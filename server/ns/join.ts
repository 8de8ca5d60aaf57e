/**
 * OTAA (LoRaWAN 1.0.3 §6.2) as a pipeline: identify (JoinEUI, DevEUI → candidates) → verifyMic
 * (the AppKey that signs it picks the device) → useDevNonce → accept (AppNonce, DevAddr, session
 * keys) → saveSession → publish (AS `handleJoin`) → the JoinAccept, offered in JOIN_ACCEPT_DELAY1
 * and DELAY2. A JoinRequest no gateway can answer is dropped before it changes anything.
 */
import { dataRateIndex, type FrequencyPlan, frequencyPlan } from '../../lib/bands';
import { bytesToHex, type EndDeviceIds } from '../../lib/messages';
import { encodeCfList } from './cfList';
import { type NsCore, uplinkCorrelationIds } from './context';
import { type Drop, errorDrop, frameDrop } from './drop';
import { devNonceReused, noDownlinkPath, unknownJoinEui } from './errors';
import { buildJoinAccept, deriveSessionKeys, type JoinRequestFrame, parseJoinRequest } from './lorawan';
import { devAddrFor } from './netId';
import type { NsDevice, NsSession, RadioMetadata, Transmission } from './ports';
import { bestGateway } from './radio';
import { rx1Window, rx2Window, txRequest } from './windows';

/** §5.7 RxDelay Del 1: RX1 one second after a data uplink (JoinAccept delays are fixed by the plan). */
const RX_DELAY = 1;
/** §5.4: Mote leaves RX1 at the uplink's data rate. */
const RX1_DR_OFFSET = 0;

const idsOf = (d: NsDevice, devAddr?: string): EndDeviceIds => ({ ...d.ids, dev_addr: devAddr });

type JoinDevice = NsDevice & { appKey: string };

async function identify(core: NsCore, frame: JoinRequestFrame): Promise<JoinDevice[] | Drop> {
  const found = await core.registry.findForJoin(frame.joinEui, frame.devEui);
  const candidates = found.flatMap((d) => (d.appKey ? [{ ...d, appKey: d.appKey }] : []));
  if (candidates.length > 0) return candidates;
  return errorDrop(unknownJoinEui({ join_eui: frame.joinEui, dev_eui: frame.devEui }));
}

/**
 * The candidate whose AppKey signs the frame is the sender. When none does, the drop names the
 * device only when there was one candidate: with several, it is not known whose frame it was.
 */
function verifyMic(frame: JoinRequestFrame, candidates: JoinDevice[]): JoinDevice | Drop {
  let error: Drop | undefined;
  for (const device of candidates) {
    const parsed = parseJoinRequest(frame, device.appKey);
    if (parsed.ok) return device;
    error ??= frameDrop(parsed.error, candidates.length === 1 ? device.ids : undefined);
  }
  return error ?? errorDrop(unknownJoinEui({ join_eui: frame.joinEui, dev_eui: frame.devEui }));
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

/** §6.2.5: the JoinAccept goes in JOIN_ACCEPT_DELAY1 (RX1 settings), or DELAY2 on RX2. */
function joinAcceptWindows(plan: FrequencyPlan, best: RadioMetadata) {
  const { joinAcceptDelay1, joinAcceptDelay2 } = plan.delays;
  const rx1 = rx1Window(plan, best.frequency, dataRateIndex(plan, best.modulation), joinAcceptDelay1);
  const rx2 = rx2Window(plan, joinAcceptDelay2);
  return rx1 ? [rx1, rx2] : [rx2];
}

export async function handleJoinRequest(
  core: NsCore,
  frame: JoinRequestFrame,
  radios: readonly RadioMetadata[],
  best: RadioMetadata,
): Promise<{ ids: EndDeviceIds; tx: Transmission } | Drop> {
  const candidates = await identify(core, frame);
  if ('drop' in candidates) return candidates;
  const device = verifyMic(frame, candidates);
  if ('drop' in device) return device;
  const gateway = bestGateway(radios);
  if (!gateway) return errorDrop(noDownlinkPath(), device.ids);
  const bad = await useDevNonce(core, frame, device);
  if (bad) return bad;
  const plan = frequencyPlan(device.frequencyPlanId);
  const { session, phyPayload } = accept(core, frame, device.appKey, plan);
  const { application_ids, device_id } = device.ids;
  await core.registry.saveSession(application_ids.application_id, device_id, session);
  await publish(core, device, session, best.receivedAt);
  core.counters.joins++;
  return {
    ids: idsOf(device, session.devAddr),
    tx: {
      windows: joinAcceptWindows(plan, best).map((w) => txRequest(plan, w, gateway, phyPayload)),
      // Nothing waits on a JoinAccept: the device asks again with a new DevNonce if it missed it.
      settle: async () => {},
    },
  };
}
