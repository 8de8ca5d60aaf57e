import {
  type ApplicationUp,
  type EndDeviceIds,
  UP_EVENT,
  type UpBodies,
  type UpType,
  writeApplicationUp,
} from '../../lib/messages';
import { deviceTopic } from '../../lib/topics';
import type { BusMessage, EventBus, UpEvent } from '../bus/bus';

export interface PublishOptions {
  receivedAt: string;
  simulated?: boolean;
}

/**
 * Builds the ApplicationUp envelope and serializes it once: MQTT, history and the console all
 * share that one Buffer (DESIGN: serialize once).
 */
export function buildUp<T extends UpType>(
  ids: EndDeviceIds,
  type: T,
  body: UpBodies[T],
  correlationIds: string[],
  options: PublishOptions,
): BusMessage {
  const up = {
    end_device_ids: ids,
    correlation_ids: correlationIds,
    received_at: options.receivedAt,
    [type]: body,
    simulated: options.simulated,
  } as unknown as ApplicationUp;
  const event = UP_EVENT[type] as UpEvent;
  return {
    applicationId: ids.application_ids.application_id,
    deviceId: ids.device_id,
    event,
    topic: deviceTopic(ids.application_ids.application_id, ids.device_id, event),
    payload: Buffer.from(writeApplicationUp(up)),
    type,
    receivedAt: options.receivedAt,
    correlationIds,
  };
}

/** Builds the message (buildUp) and publishes it on the bus. */
export function createPublisher(bus: EventBus) {
  return function publishUp<T extends UpType>(
    ids: EndDeviceIds,
    type: T,
    body: UpBodies[T],
    correlationIds: string[],
    options: PublishOptions,
  ): BusMessage {
    const message = buildUp(ids, type, body, correlationIds, options);
    bus.publish(message);
    return message;
  };
}

export type PublishUp = ReturnType<typeof createPublisher>;
