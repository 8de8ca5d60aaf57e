/**
 * After a data uplink (LoRaWAN 1.0.3 §3.3, class A): scheduleDownlink asks the AS what goes in
 * the receive windows (AS `receiveWindow`), then buildFrame puts it, the MAC answers and the ACK
 * into one data down frame (§4.3), in RX1 when it fits there and RX2 otherwise.
 */
import type { FrequencyPlan } from '../../lib/bands';
import type { ApplicationDownlink } from '../../lib/messages';
import type { NsCore } from './context';
import { buildDataDown, encodeMacCommands, type MacCommand } from './lorawan';
import type { TxRequest } from './ports';
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

export async function scheduleDownlink(core: NsCore, ctx: UplinkContext): Promise<TxRequest | undefined> {
  const { plan, best } = ctx;
  const rx1 = rx1Window(plan, best.frequency, ctx.uplinkDr, plan.delays.receiveDelay1);
  const windows = rx1
    ? [rx1, rx2Window(plan, plan.delays.receiveDelay2)]
    : [rx2Window(plan, plan.delays.receiveDelay2)];
  // The AS bounds the payload by one data rate: the roomier window's, so what it sends fits one.
  const roomiest = windows.reduce((a, b) => (capacity(plan, b) > capacity(plan, a) ? b : a));
  const fCnt = nextFCntDown(ctx);
  const tx = await core.as.receiveWindow(ctx.ids, {
    acknowledged: ctx.parsed.fCtrl.ack,
    dataRateIndex: roomiest.dr,
    uplinkCorrelationIds: ctx.correlationIds,
    fCntDown: fCnt,
    maxFrmPayload: capacity(plan, roomiest),
  });
  // §4.3.1.2 / §18.1: a confirmed uplink is acknowledged even when nothing else is due.
  if (!tx && !ctx.macAnswers.length && !ctx.parsed.confirmed) return undefined;
  return buildFrame(core, ctx, windows, fCnt, tx?.downlink);
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

async function buildFrame(
  core: NsCore,
  ctx: UplinkContext,
  windows: WindowChoice[],
  fCnt: number,
  downlink: ApplicationDownlink | undefined,
): Promise<TxRequest | undefined> {
  const { plan } = ctx;
  const payload = downlink?.frm_payload ?? new Uint8Array(0);
  let fOpts = fOptsOf(ctx.macAnswers);
  const fits = (w: WindowChoice) => payload.length <= windowCapacity(plan, w, fOpts.length);
  let window = windows.find(fits);
  if (!window) {
    // The application's payload matters more than the MAC answers: send it without them.
    fOpts = new Uint8Array(0);
    window = windows.find(fits);
  }
  if (!window) {
    core.log.error({ event: 'ns.down.too_long', length: payload.length }, 'downlink fits no receive window');
    return undefined;
  }
  const phyPayload = buildDataDown(
    {
      devAddr: ctx.session.devAddr,
      fCnt,
      confirmed: downlink?.confirmed ?? false,
      // FPending stays false: the AS port does not say whether more is queued.
      fCtrl: { ack: ctx.parsed.confirmed },
      fOpts,
      ...(downlink ? { fPort: downlink.f_port ?? 1, frmPayload: payload } : {}),
    },
    ctx.session,
  );
  ctx.session = { ...ctx.session, lastFCntDown: fCnt };
  await core.registry.saveSession(ctx.ids.application_ids.application_id, ctx.ids.device_id, ctx.session);
  core.counters.downlinks++;
  return txRequest(plan, window, ctx.best, phyPayload);
}
