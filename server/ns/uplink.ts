/**
 * Data uplinks (LoRaWAN 1.0.3 §4) as a pipeline: identify (DevAddr → candidates) → authenticate
 * (per candidate: rebuild the 32-bit FCnt, check the MIC with the NwkSKey, decrypt) →
 * checkDuplicate → saveCounter → handleMacCommands → publish (AS `handleUplink`) → then
 * downlink.ts schedules the receive window.
 */
import { dataRateIndex, type FrequencyPlan, frequencyPlan } from '../../lib/bands';
import { isMoteError } from '../../lib/errors';
import type { EndDeviceIds } from '../../lib/messages';
import { authenticate, checkDuplicate, identify, isRetransmission } from './authenticate';
import { type NsCore, uplinkCorrelationIds } from './context';
import { type Drop, errorDrop } from './drop';
import { duplicateUplink } from './errors';
import type { DataFrame, MacCommand, ParsedData } from './lorawan';
import { answerMacCommands } from './mac';
import type { NsDevice, NsSession, RadioMetadata } from './ports';
import { consumedAirtime, rxMetadataOf, settingsOf } from './radio';

export interface UplinkContext {
  phyPayload: Uint8Array;
  radios: readonly RadioMetadata[];
  /** The radio that heard the frame best: its settings are the uplink's. */
  best: RadioMetadata;
  device: NsDevice;
  ids: EndDeviceIds;
  session: NsSession;
  plan: FrequencyPlan;
  uplinkDr: number;
  parsed: ParsedData;
  macAnswers: MacCommand[];
  correlationIds: string[];
  /** A confirmed uplink sent again (isRetransmission): only its ACK is due, nothing is published. */
  retransmission: boolean;
}

/**
 * The counter is stored before anything is published, so a replay is refused even after a crash;
 * when the device was last seen goes in the same write (the AS records it only for uplinks that
 * do not come through here).
 * Only the counter is written (keys stay as sealed at the join); a session replaced while the
 * frame was handled (through the API) keeps its own counters: the frame is still published, as it
 * was authentic under the session it arrived in. A counter the store already holds, or one behind
 * it, was taken first by another instance on the same database whose notice had not reached this
 * one yet (ADR 0006 point 2): the frame is dropped as the duplicate it is there.
 * Storage that cannot take the write now (a full or read-only disk: class `unavailable`) does not
 * stop the uplink (docs/behaviour.md §6.5: uplinks go on): the frame is published, and until the
 * disk takes writes again only the gateway dedup stands between a replay and the AS.
 */
async function saveCounter(core: NsCore, ctx: UplinkContext): Promise<Drop | undefined> {
  ctx.session = { ...ctx.session, lastFCntUp: ctx.parsed.fCnt };
  const { application_ids, device_id } = ctx.ids;
  try {
    const found = await core.registry.saveFCntUp(
      application_ids.application_id,
      device_id,
      ctx.session,
      ctx.best.receivedAt.toISOString(),
    );
    if (found === 'counter_used') return errorDrop(duplicateUplink({ f_cnt: ctx.parsed.fCnt }), ctx.ids);
  } catch (e) {
    if (!isMoteError(e) || e.errorClass !== 'unavailable') throw e;
    core.log.warn({ err: e, event: 'ns.up.counter_unsaved', device: device_id }, 'FCnt not saved');
  }
  return undefined;
}

/** §4.3.2: FPort 0 and frames without FPort carry no application data: no `up` for them. */
async function publish(core: NsCore, ctx: UplinkContext) {
  const { parsed, best } = ctx;
  ctx.correlationIds = uplinkCorrelationIds(core);
  if (parsed.fPort === undefined || parsed.fPort === 0) return;
  ctx.correlationIds = await core.as.handleUplink(
    ctx.ids,
    {
      session_key_id: Buffer.from(ctx.session.sessionKeyId, 'hex'),
      f_port: parsed.fPort,
      f_cnt: parsed.fCnt,
      frm_payload: parsed.frmPayload,
      confirmed: parsed.confirmed || undefined,
      rx_metadata: ctx.radios.map(rxMetadataOf),
      settings: settingsOf(best),
      received_at: best.receivedAt.toISOString(),
      consumed_airtime: consumedAirtime(ctx.phyPayload.length, best),
      network_ids: { net_id: core.netId },
    },
    ctx.correlationIds,
  );
}

export async function handleDataUp(
  core: NsCore,
  phyPayload: Uint8Array,
  frame: DataFrame,
  radios: readonly RadioMetadata[],
  best: RadioMetadata,
): Promise<UplinkContext | Drop> {
  const candidates = await identify(core, frame);
  if ('drop' in candidates) return candidates;
  const a = authenticate(frame, candidates);
  if ('drop' in a) return a;
  const bad = checkDuplicate(a);
  if (bad) return bad;
  const ids: EndDeviceIds = { ...a.device.ids, dev_addr: frame.devAddr };
  let plan: FrequencyPlan;
  let uplinkDr: number;
  try {
    plan = frequencyPlan(a.device.frequencyPlanId);
    uplinkDr = dataRateIndex(plan, best.modulation);
  } catch (e) {
    if (isMoteError(e)) return errorDrop(e, ids);
    throw e;
  }
  const ctx: UplinkContext = {
    ...a,
    phyPayload,
    radios,
    best,
    ids,
    plan,
    uplinkDr,
    macAnswers: [],
    correlationIds: [],
    retransmission: isRetransmission(a),
  };
  if (ctx.retransmission) {
    // Counted, published and answered the first time; the counter is already stored.
    core.log.debug(
      { event: 'ns.up.retransmission', device: ids.device_id, f_cnt: a.parsed.fCnt },
      'ACK again',
    );
    ctx.correlationIds = uplinkCorrelationIds(core);
    return ctx;
  }
  const used = await saveCounter(core, ctx);
  if (used) return used;
  ctx.macAnswers = answerMacCommands(core, ids, a.parsed.macCommands, radios, best.receivedAt);
  await publish(core, ctx);
  core.counters.uplinks++;
  return ctx;
}
