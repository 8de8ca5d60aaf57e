/**
 * Data uplinks (LoRaWAN 1.0.3 §4) as a pipeline: identify (DevAddr → candidates) → authenticate
 * (per candidate: rebuild the 32-bit FCnt, check the MIC with the NwkSKey, decrypt) →
 * checkDuplicate → saveCounter → handleMacCommands → publish (AS `handleUplink`) → then
 * downlink.ts schedules the receive window.
 */
import { dataRateIndex, type FrequencyPlan, frequencyPlan } from '../../lib/bands';
import { isMoteError } from '../../lib/errors';
import type { EndDeviceIds } from '../../lib/messages';
import { type NsCore, uplinkCorrelationIds } from './context';
import { type Drop, errorDrop, frameDrop } from './drop';
import { duplicateUplink, unknownDevAddr } from './errors';
import { type DataFrame, type FrameError, type MacCommand, type ParsedData, parseDataUp } from './lorawan';
import { answerMacCommands } from './mac';
import type { NsDevice, NsSession, RadioMetadata } from './ports';
import { consumedAirtime, rxMetadataOf, settingsOf } from './radio';

export interface UplinkContext {
  phyPayload: Uint8Array;
  radios: readonly RadioMetadata[];
  best: RadioMetadata;
  device: NsDevice;
  ids: EndDeviceIds;
  session: NsSession;
  plan: FrequencyPlan;
  uplinkDr: number;
  parsed: ParsedData;
  macAnswers: MacCommand[];
  correlationIds: string[];
}

type Authenticated = Pick<UplinkContext, 'device' | 'session' | 'parsed'>;

async function identify(core: NsCore, frame: DataFrame): Promise<NsDevice[] | Drop> {
  const candidates = (await core.registry.findByDevAddr(frame.devAddr)).filter((d) => d.session);
  return candidates.length ? candidates : errorDrop(unknownDevAddr({ dev_addr: frame.devAddr }));
}

/**
 * DevAddrs are not unique (§6.1.1): the candidate whose NwkSKey signs the frame is the sender.
 * When none does, the most telling error wins: a replay or gap of a device whose counter ruled
 * the frame out before its MIC was checked, else the MIC mismatch.
 */
function authenticate(frame: DataFrame, candidates: NsDevice[]): Authenticated | Drop {
  let error: { e: FrameError; ids: EndDeviceIds } | undefined;
  for (const device of candidates) {
    const session = device.session;
    if (!session) continue;
    const parsed = parseDataUp(frame, { ...session, lastFCnt: session.lastFCntUp });
    if (parsed.ok) return { device, session, parsed: parsed.value };
    if (!error || error.e.name === 'mic_mismatch') error = { e: parsed.error, ids: device.ids };
  }
  // identify() returns at least one candidate with a session, so `error` is set here.
  return error
    ? frameDrop(error.e, candidates.length === 1 ? error.ids : undefined)
    : errorDrop(unknownDevAddr({ dev_addr: frame.devAddr }));
}

/** The same FCnt again, after the dedup window: a repetition (NbTrans) or a retransmission. */
const checkDuplicate = (a: Authenticated): Drop | undefined =>
  a.parsed.duplicate ? errorDrop(duplicateUplink({ f_cnt: a.parsed.fCnt }), a.device.ids) : undefined;

/** The counter is stored before anything is published, so a replay is refused even after a crash. */
async function saveCounter(core: NsCore, ctx: UplinkContext) {
  ctx.session = { ...ctx.session, lastFCntUp: ctx.parsed.fCnt };
  await core.registry.saveSession(ctx.ids.application_ids.application_id, ctx.ids.device_id, ctx.session);
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
  };
  await saveCounter(core, ctx);
  ctx.macAnswers = answerMacCommands(core, ids, a.parsed.macCommands, radios, best.receivedAt);
  await publish(core, ctx);
  core.counters.uplinks++;
  return ctx;
}
