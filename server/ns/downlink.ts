/**
 * After a data uplink (LoRaWAN 1.0.3 §3.3, class A): scheduleDownlink asks the AS what goes in
 * the receive windows (AS `receiveWindow`), then buildFrame puts it, the MAC answers and the ACK
 * into one data down frame (§4.3), offered in every window that can carry it, RX1 first. What the
 * gateway made of it comes back through the Transmission's `settle` (AS `settleWindow`).
 */
import type { FrequencyPlan } from '../../lib/bands';
import type { DownlinkTx } from '../as/ports';
import type { NsCore } from './context';
import { buildDataDown, encodeMacCommands, type MacCommand } from './lorawan';
import type { RadioMetadata, Transmission, TxOutcome } from './ports';
import { bestGateway } from './radio';
import type { UplinkContext } from './uplink';
import { rx1Window, rx2Window, txRequest, type WindowChoice, windowCapacity } from './windows';

/** §4.3.1.6: FOpts holds at most 15 bytes. */
const MAX_FOPTS = 15;

/**
 * The next FCntDown. Counters start at 0 with the session (§4.3.1.5) and the NS owns the one
 * counter of 1.0.x: it hands it to the AS, which publishes it as `down/sent`'s `f_cnt`.
 */
const nextFCntDown = (ctx: UplinkContext): number =>
  ctx.session.lastFCntDown === undefined ? 0 : ctx.session.lastFCntDown + 1;

const capacity = (plan: FrequencyPlan, w: WindowChoice) => windowCapacity(plan, w, 0);

export async function scheduleDownlink(core: NsCore, ctx: UplinkContext): Promise<Transmission | undefined> {
  const { plan, best } = ctx;
  const gateway = bestGateway(ctx.radios);
  const rx1 = rx1Window(plan, best.frequency, ctx.uplinkDr, plan.delays.receiveDelay1);
  const windows = rx1
    ? [rx1, rx2Window(plan, plan.delays.receiveDelay2)]
    : [rx2Window(plan, plan.delays.receiveDelay2)];
  // The AS bounds the payload by one data rate: the roomier window's, so what it sends fits one.
  const roomiest = windows.reduce((a, b) => (capacity(plan, b) > capacity(plan, a) ? b : a));
  const fCnt = nextFCntDown(ctx);
  // A retransmission gets its ACK alone: the queue waits for the device's next new uplink.
  if (ctx.retransmission)
    return gateway ? buildFrame(core, ctx, gateway, windows, fCnt, undefined) : undefined;
  const tx = await core.as.receiveWindow(ctx.ids, {
    acknowledged: ctx.parsed.fCtrl.ack,
    dataRateIndex: roomiest.dr,
    uplinkCorrelationIds: ctx.correlationIds,
    fCntDown: fCnt,
    maxFrmPayload: capacity(plan, roomiest),
    // No gateway to answer through: the AS settles the ACK but leaves the queue as it is.
    ...(gateway ? {} : { transmit: false }),
  });
  if (!gateway) return undefined;
  // §4.3.1.2 / §18.1: a confirmed uplink is acknowledged even when nothing else is due.
  if (!tx && !ctx.macAnswers.length && !ctx.parsed.confirmed) return undefined;
  return buildFrame(core, ctx, gateway, windows, fCnt, tx);
}

/** MAC answers up to what FOpts holds; the device asks again for what was left out. */
function fOptsOf(answers: readonly MacCommand[]): Uint8Array {
  let out = Buffer.alloc(0);
  for (const a of answers) {
    const next = Buffer.concat([out, encodeMacCommands([a], 'down')]);
    if (next.length > MAX_FOPTS) break;
    out = next;
  }
  return out;
}

/**
 * The windows, in order, that carry `payload` beside the MAC answers; when none does, those that
 * carry it without them: the application's payload matters more than the answers.
 */
export function windowsFor(
  plan: FrequencyPlan,
  windows: readonly WindowChoice[],
  payloadLength: number,
  answers: Uint8Array,
): { windows: WindowChoice[]; fOpts: Uint8Array } {
  const fitting = (fOpts: Uint8Array) =>
    windows.filter((w) => payloadLength <= windowCapacity(plan, w, fOpts.length));
  const withAnswers = fitting(answers);
  if (withAnswers.length > 0) return { windows: withAnswers, fOpts: answers };
  const empty = new Uint8Array(0);
  return { windows: fitting(empty), fOpts: empty };
}

async function buildFrame(
  core: NsCore,
  ctx: UplinkContext,
  gateway: RadioMetadata,
  choices: WindowChoice[],
  fCnt: number,
  tx: DownlinkTx | undefined,
): Promise<Transmission | undefined> {
  const { plan } = ctx;
  const downlink = tx?.downlink;
  const payload = downlink?.frm_payload ?? new Uint8Array(0);
  const { windows, fOpts } = windowsFor(plan, choices, payload.length, fOptsOf(ctx.macAnswers));
  const settle = tx ? (outcome: TxOutcome) => core.as.settleWindow(ctx.ids, fCnt, outcome) : async () => {};
  if (windows.length === 0) {
    core.log.error({ event: 'ns.down.too_long', length: payload.length }, 'downlink fits no receive window');
    await settle({ failed: 'too_long' });
    return undefined;
  }
  const phyPayload = buildDataDown(
    {
      devAddr: ctx.session.devAddr,
      fCnt,
      confirmed: downlink?.confirmed ?? false,
      // §4.3.1.7: FPending asks the device to send again soon, for what is still queued.
      fCtrl: { ack: ctx.parsed.confirmed, fPending: tx?.more ?? false },
      fOpts,
      ...(downlink ? { fPort: downlink.f_port ?? 1, frmPayload: payload } : {}),
    },
    ctx.session,
  );
  // The FCnt is spent with the frame, sent or not: it never goes out again with other content.
  ctx.session = { ...ctx.session, lastFCntDown: fCnt };
  const found = await core.registry.saveFCntDown(
    ctx.ids.application_ids.application_id,
    ctx.ids.device_id,
    ctx.session,
  );
  if (found === 'counter_used') {
    // Another instance on the same database spent this FCntDown first (ADR 0006 point 2): the
    // device would drop the frame, so it is not sent, and the downlink waits for the next uplink.
    core.log.warn({ event: 'ns.down.f_cnt_used', device: ctx.ids.device_id, f_cnt: fCnt }, 'FCntDown taken');
    await settle({ failed: 'f_cnt_down_used' });
    return undefined;
  }
  core.counters.downlinks++;
  return { windows: windows.map((w) => txRequest(plan, w, gateway, phyPayload)), settle };
}
