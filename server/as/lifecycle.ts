import { EU_863_870, maxApplicationPayload } from '../../lib/bands';
import { errorDetails } from '../../lib/errors';
import {
  type ApplicationDownlink,
  base64ToBytes,
  type EndDeviceIds,
  readApplicationDownlink,
  writeApplicationDownlink,
} from '../../lib/messages';
import { type AsCore, deviceKey, type UnitOfWork } from './context';
import { mergeCorrelationIds } from './correlation';
import { downlinkTooLong, maxRetriesReached } from './errors';
import { EVENTS } from './events';
import type { DownlinkTx, ReceiveWindow } from './ports';
import { buildUp } from './publish';
import { type AsSession, loadSession, saveSession } from './session';

/**
 * The downlink lifecycle of docs/behaviour.md §5, run in the class A receive windows after each
 * uplink: requeueInFlight (a downlink never settled goes back to the head) → settlePending (ack /
 * nack → retry or max_retries_reached) → handOutNext (queue head → too long for the data rate, or
 * in flight) → saveSession. The steps run as one unit of work: the queue, the session and the
 * history of what happened commit together, and only then are the messages published. What the
 * network side then reports of the frame is settle.ts.
 */
interface WindowContext {
  ids: EndDeviceIds;
  applicationId: string;
  deviceId: string;
  window: ReceiveWindow;
  session: AsSession;
  changed: boolean;
  queueEmpty: boolean;
  now: Date;
}

export const parse = (text: string): ApplicationDownlink => readApplicationDownlink(JSON.parse(text));

/** Back at the head of the queue; it gets a new FCnt when it goes out again. */
export async function requeue(
  unit: UnitOfWork,
  app: string,
  dev: string,
  item: ApplicationDownlink,
  now: Date,
) {
  const { f_cnt: _f, session_key_id: _s, ...requeued } = item;
  await unit.queue.pushFront(app, dev, writeApplicationDownlink(requeued), now);
}

/** The process stopped, or the network side never said, between handing out and settling. */
async function requeueInFlight(core: AsCore, unit: UnitOfWork, ctx: WindowContext) {
  const text = ctx.session.in_flight_downlink;
  if (!text) return;
  ctx.session.in_flight_downlink = undefined;
  ctx.changed = true;
  await requeue(unit, ctx.applicationId, ctx.deviceId, parse(text), ctx.now);
  core.log.info({ event: EVENTS.downTxRequeue, device: ctx.deviceId }, 'unsettled downlink requeued');
}

async function settlePending(core: AsCore, unit: UnitOfWork, ctx: WindowContext) {
  const text = ctx.session.pending_downlink;
  if (!text) return;
  ctx.session.pending_downlink = undefined;
  ctx.changed = true;
  const pending = parse(text);
  // TTS: ack/nack carry the pending downlink's IDs plus the acknowledging uplink's.
  const cids = mergeCorrelationIds(pending.correlation_ids, ctx.window.uplinkCorrelationIds);
  const opts = { receivedAt: ctx.now.toISOString() };
  if (ctx.window.acknowledged) {
    unit.record(buildUp(ctx.ids, 'downlink_ack', pending, cids, opts));
    return;
  }
  const attempt = (pending.confirmed_retry?.attempt || 1) + 1;
  const retry: ApplicationDownlink = { ...pending, confirmed_retry: { ...pending.confirmed_retry, attempt } };
  unit.record(buildUp(ctx.ids, 'downlink_nack', retry, cids, opts));
  const max = pending.confirmed_retry?.max_attempts || core.config.maxConfirmedAttempts;
  if (attempt > max) {
    const failed = { downlink: retry, error: errorDetails(maxRetriesReached({ attempts: max })) };
    unit.record(buildUp(ctx.ids, 'downlink_failed', failed, cids, opts));
    return;
  }
  await requeue(unit, ctx.applicationId, ctx.deviceId, retry, ctx.now);
}

async function handOutNext(unit: UnitOfWork, ctx: WindowContext): Promise<DownlinkTx | undefined> {
  if (ctx.window.transmit === false) return undefined;
  // Devices have no frequency plan yet (issue 12 adds one); until then every device is EU868.
  const max = ctx.window.maxFrmPayload ?? maxApplicationPayload(EU_863_870, ctx.window.dataRateIndex);
  const opts = { receivedAt: ctx.now.toISOString() };
  for (;;) {
    const text = await unit.queue.pop(ctx.applicationId, ctx.deviceId);
    if (text === undefined) {
      ctx.queueEmpty = true;
      return undefined;
    }
    const item = parse(text);
    const length = item.frm_payload?.length ?? 0;
    if (length > max) {
      const error = errorDetails(downlinkTooLong({ length, max, data_rate_index: ctx.window.dataRateIndex }));
      unit.record(
        buildUp(ctx.ids, 'downlink_failed', { downlink: item, error }, item.correlation_ids ?? [], opts),
      );
      continue;
    }
    const fCnt = ctx.window.fCntDown ?? (ctx.session.last_a_f_cnt_down ?? 0) + 1;
    ctx.session.last_a_f_cnt_down = fCnt;
    ctx.changed = true;
    const keyId = ctx.session.session_key_id ? base64ToBytes(ctx.session.session_key_id) : undefined;
    const sent: ApplicationDownlink = { session_key_id: keyId, ...item, f_cnt: fCnt };
    // Not `down/sent` yet: the network side settles it once a gateway took it (settle.ts).
    ctx.session.in_flight_downlink = writeApplicationDownlink(sent);
    const more = (await unit.queue.count(ctx.applicationId, ctx.deviceId)) > 0;
    return { downlink: sent, more };
  }
}

export async function receiveWindow(
  core: AsCore,
  ids: EndDeviceIds,
  window: ReceiveWindow,
): Promise<DownlinkTx | undefined> {
  const applicationId = ids.application_ids.application_id;
  const key = deviceKey(applicationId, ids.device_id);
  if (core.work.isIdle(key)) return undefined;
  const version = core.work.version(key);
  const now = core.clock.now();
  const { tx, ctx } = await core.atomically(async (unit) => {
    const ctx: WindowContext = {
      ids,
      applicationId,
      deviceId: ids.device_id,
      window,
      session: await loadSession(unit.devices, applicationId, ids.device_id),
      changed: false,
      queueEmpty: false,
      now,
    };
    await requeueInFlight(core, unit, ctx);
    await settlePending(core, unit, ctx);
    const tx = await handOutNext(unit, ctx);
    if (ctx.changed) await saveSession(unit.devices, applicationId, ids.device_id, ctx.session);
    return { tx, ctx };
  });
  if (ctx.queueEmpty && !ctx.session.pending_downlink) core.work.markIdle(key, version);
  return tx;
}
