import type { EndDeviceIds } from '../../lib/messages';
import { type AsCore, deviceKey } from './context';
import { EVENTS } from './events';
import { parse, requeue } from './lifecycle';
import type { WindowOutcome } from './ports';
import { buildUp } from './publish';
import { loadSession, saveSession } from './session';

/**
 * What became of the downlink a receive window handed out (docs/behaviour.md §5.4), as one unit of
 * work: sent → `down/sent` with the FCnt it went out with, and a confirmed one becomes the pending
 * one awaiting the next uplink's ACK; failed → back at the head of the queue, nothing published.
 * Either way the item is queued, in flight or `down/sent` at every commit (crash safety).
 */
export async function settleWindow(
  core: AsCore,
  ids: EndDeviceIds,
  fCnt: number,
  outcome: WindowOutcome,
): Promise<void> {
  const applicationId = ids.application_ids.application_id;
  const deviceId = ids.device_id;
  const now = core.clock.now();
  const settled = await core.atomically(async (unit) => {
    const session = await loadSession(unit.devices, applicationId, deviceId);
    const text = session.in_flight_downlink;
    const item = text ? parse(text) : undefined;
    if (!text || !item || (item.f_cnt ?? 0) !== fCnt) return false;
    session.in_flight_downlink = undefined;
    if ('sent' in outcome) {
      const opts = { receivedAt: now.toISOString() };
      unit.record(buildUp(ids, 'downlink_sent', item, item.correlation_ids ?? [], opts));
      if (item.confirmed) session.pending_downlink = text;
    } else {
      await requeue(unit, applicationId, deviceId, item, now);
    }
    await saveSession(unit.devices, applicationId, deviceId, session);
    return true;
  });
  if (!settled) {
    core.log.warn(
      { event: EVENTS.downTxStale, device: deviceId, f_cnt: fCnt },
      'downlink no longer in flight',
    );
    return;
  }
  if ('failed' in outcome) {
    core.work.added(deviceKey(applicationId, deviceId));
    core.log.info(
      { event: EVENTS.downTxRequeue, device: deviceId, f_cnt: fCnt, reason: outcome.failed },
      'downlink not transmitted: requeued',
    );
  }
}
