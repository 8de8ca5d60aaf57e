/**
 * Event names in TTS's dotted scheme (pkg/applicationserver/observability.go), used in logs and
 * in `events/related` results. `downlink_queued` has no TTS event of its own; TTS emits
 * `as.down.data.forward` when it hands an item on, which is the closest meaning.
 */
import type { UpType } from '../../lib/messages';

export const EVENTS = {
  upDataForward: 'as.up.data.forward',
  upDataDrop: 'as.up.data.drop',
  upDataDecodeFail: 'as.up.data.decode.fail',
  downDataEncodeFail: 'as.down.data.encode.fail',
  upJoinForward: 'as.up.join.forward',
  upNormalizedForward: 'as.up.normalized.forward',
  upLocationForward: 'as.up.location.forward',
  upServiceForward: 'as.up.service.forward',
  downDataReceive: 'as.down.data.receive',
  downDataDrop: 'as.down.data.drop',
  downDataForward: 'as.down.data.forward',
  downSentForward: 'as.down.data.sent.forward',
  downAckForward: 'as.down.data.ack.forward',
  downNackForward: 'as.down.data.nack.forward',
  downFailedForward: 'as.down.data.failed.forward',
  downQueueInvalidatedForward: 'as.down.data.queue.invalidated.forward',
} as const;

export type EventName = (typeof EVENTS)[keyof typeof EVENTS];

export const EVENT_OF_TYPE: Record<UpType, EventName> = {
  uplink_message: EVENTS.upDataForward,
  uplink_normalized: EVENTS.upNormalizedForward,
  join_accept: EVENTS.upJoinForward,
  downlink_queued: EVENTS.downDataForward,
  downlink_sent: EVENTS.downSentForward,
  downlink_ack: EVENTS.downAckForward,
  downlink_nack: EVENTS.downNackForward,
  downlink_failed: EVENTS.downFailedForward,
  downlink_queue_invalidated: EVENTS.downQueueInvalidatedForward,
  location_solved: EVENTS.upLocationForward,
  service_data: EVENTS.upServiceForward,
};
