/**
 * Event names in TTS's dotted scheme (pkg/applicationserver/observability.go), used in logs and
 * in `events/related` results. The event each ApplicationUp body is forwarded as is declared
 * once, with its topic, in lib/topics.ts (UP_MESSAGES); the others are here.
 */
import { CONSOLE_MESSAGES, EVENT_OF_TYPE, type UpEventName } from '../../lib/topics';

export { EVENT_OF_TYPE };

export const EVENTS = {
  upDataForward: EVENT_OF_TYPE.uplink_message,
  upDataDrop: 'as.up.data.drop',
  upDataDecodeFail: CONSOLE_MESSAGES.uplink_decode_failed.event,
  downDataEncodeFail: 'as.down.data.encode.fail',
  upJoinForward: EVENT_OF_TYPE.join_accept,
  upNormalizedForward: EVENT_OF_TYPE.uplink_normalized,
  upLocationForward: EVENT_OF_TYPE.location_solved,
  upServiceForward: EVENT_OF_TYPE.service_data,
  downDataReceive: 'as.down.data.receive',
  downDataDrop: 'as.down.data.drop',
  /** A downlink in flight went back to the queue: not transmitted, or never settled. */
  downTxRequeue: 'as.down.data.requeue',
  /** A settle for a downlink no longer in flight. */
  downTxStale: 'as.down.data.settle.stale',
  downDataForward: EVENT_OF_TYPE.downlink_queued,
  downSentForward: EVENT_OF_TYPE.downlink_sent,
  downAckForward: EVENT_OF_TYPE.downlink_ack,
  downNackForward: EVENT_OF_TYPE.downlink_nack,
  downFailedForward: EVENT_OF_TYPE.downlink_failed,
  downQueueInvalidatedForward: EVENT_OF_TYPE.downlink_queue_invalidated,
} as const;

export type EventName = (typeof EVENTS)[keyof typeof EVENTS] | UpEventName;
