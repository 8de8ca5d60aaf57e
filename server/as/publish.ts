import type { ErrorDetails } from '../../lib/errors';
import {
  type ApplicationUp,
  type EndDeviceIds,
  UP_EVENT,
  type UpBodies,
  type UpType,
  writeApplicationUp,
} from '../../lib/messages';
import { CONSOLE_MESSAGES, type ConsoleMessageType, deviceTopic } from '../../lib/topics';
import type { BusMessage, EventBus, UpEvent } from '../bus/bus';
import type { HistoryRecord, HistoryStore } from '../store/ports';

export interface PublishOptions {
  receivedAt: string;
  simulated?: boolean;
}

/**
 * Builds the ApplicationUp envelope and serializes it once: MQTT, history and the console all
 * share that one Buffer (docs/architecture.md §4.3: serialize once).
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
  return onDeviceTopic(
    ids,
    UP_EVENT[type] as UpEvent,
    type,
    writeApplicationUp(up),
    correlationIds,
    options.receivedAt,
  );
}

/** The bus message for one device event, addressed to its MQTT topic. */
function onDeviceTopic(
  ids: EndDeviceIds,
  event: UpEvent,
  type: string,
  json: string,
  correlationIds: string[],
  receivedAt: string,
): BusMessage {
  const applicationId = ids.application_ids.application_id;
  return {
    applicationId,
    deviceId: ids.device_id,
    event,
    topic: deviceTopic(applicationId, ids.device_id, event),
    payload: Buffer.from(json),
    type,
    receivedAt,
    correlationIds,
  };
}

/** What history keeps of a published message: the same text, with its correlation IDs. */
export const historyRecordOf = (m: BusMessage): HistoryRecord => ({
  applicationId: m.applicationId,
  deviceId: m.deviceId,
  type: m.type,
  receivedAt: m.receivedAt,
  message: m.payload.toString('utf8'),
  correlationIds: m.correlationIds,
});

/**
 * Builds the message (buildUp), publishes it on the bus and records it in history (write-behind).
 * The core records what it publishes rather than a bus listener storing what it hears: with
 * several instances on one bus, each message is stored once (docs/adr/0005).
 */
export function createPublisher(bus: EventBus, history: Pick<HistoryStore, 'append'>) {
  return function publishUp<T extends UpType>(
    ids: EndDeviceIds,
    type: T,
    body: UpBodies[T],
    correlationIds: string[],
    options: PublishOptions,
  ): BusMessage {
    const message = buildUp(ids, type, body, correlationIds, options);
    bus.publish(message);
    history.append(historyRecordOf(message));
    return message;
  };
}

export type PublishUp = ReturnType<typeof createPublisher>;

/** An uplink whose decoder failed, as the console shows it: what was received and why. */
export interface UplinkDecodeFailed {
  f_port?: number;
  f_cnt?: number;
  frm_payload?: string;
  error: ErrorDetails;
}

/**
 * A frame the network layer dropped (server/ns/dropEvent.ts): the reason by name, its message
 * and attributes. Not TTS's ErrorDetails: the frame layer's reasons have no namespace or code.
 */
export interface UplinkDrop {
  error: { name: string; message: string; attributes?: Record<string, string | number | boolean> };
}

/**
 * TTS emits `as.up.data.decode.fail` and `ns.up.drop` as events, not MQTT messages; Mote's
 * console is an MQTT client, so they reach it on topics only console sessions receive
 * (BusMessage.audience). History does not keep them: the storage API stays TTS-shaped.
 */
export function createConsoleEvents(bus: EventBus) {
  function publish<T extends ConsoleMessageType>(
    type: T,
    ids: EndDeviceIds,
    body: ConsoleBodies[T],
    correlationIds: string[],
    receivedAt: string,
  ) {
    const json = JSON.stringify({
      end_device_ids: ids,
      correlation_ids: correlationIds,
      received_at: receivedAt,
      [type]: body,
    });
    const message = onDeviceTopic(ids, CONSOLE_MESSAGES[type].topic, type, json, correlationIds, receivedAt);
    bus.publish({ ...message, audience: 'console' });
  }
  return {
    uplinkDecodeFailed: (ids: EndDeviceIds, body: UplinkDecodeFailed, cids: string[], receivedAt: string) =>
      publish('uplink_decode_failed', ids, body, cids, receivedAt),
    uplinkDrop: (ids: EndDeviceIds, body: UplinkDrop, cids: string[], receivedAt: string) =>
      publish('uplink_drop', ids, body, cids, receivedAt),
  };
}

interface ConsoleBodies {
  uplink_decode_failed: UplinkDecodeFailed;
  uplink_drop: UplinkDrop;
}

export type ConsoleEvents = ReturnType<typeof createConsoleEvents>;
