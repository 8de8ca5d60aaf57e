/**
 * One row of the live table: an `ApplicationUp` (docs/behaviour.md §4) from MQTT or the history API, or a
 * marker the console inserts itself (a connection gap). Parsing is defensive: messages come
 * from the network and only the fields the table needs are read.
 */
import type { CONSOLE_MESSAGES, UP_EVENT, UpEvent } from '../topics';

/**
 * The types the console tells apart (its filter chips); the rest show as `other`. Topic
 * suffixes of lib/topics.ts (UP_MESSAGES, CONSOLE_MESSAGES): a name not there fails `tsc`.
 */
export const EVENT_TYPES = [
  'join',
  'up',
  'up/normalized',
  'down/queued',
  'down/sent',
  'down/ack',
  'down/nack',
  'down/failed',
  'location/solved',
  'service/data',
  // Mote's console only: an uplink whose payload formatter failed (TTS `as.up.data.decode.fail`),
  // and a frame of the device the network layer dropped (TTS `ns.up.drop`).
  'up/decode/failed',
  'up/drop',
] as const satisfies readonly UpEvent[];
export type EventType = (typeof EVENT_TYPES)[number] | 'other';

type SuffixOf = typeof UP_EVENT & {
  [T in keyof typeof CONSOLE_MESSAGES]: (typeof CONSOLE_MESSAGES)[T]['topic'];
};

/** Body field of `ApplicationUp` → topic suffix, as lib/topics.ts has them (checked). */
const BODY_TYPES: Record<string, EventType> = {
  join_accept: 'join',
  uplink_message: 'up',
  uplink_normalized: 'up/normalized',
  downlink_queued: 'down/queued',
  downlink_sent: 'down/sent',
  downlink_ack: 'down/ack',
  downlink_nack: 'down/nack',
  downlink_failed: 'down/failed',
  location_solved: 'location/solved',
  service_data: 'service/data',
  uplink_decode_failed: 'up/decode/failed',
  uplink_drop: 'up/drop',
} satisfies { [T in keyof SuffixOf]?: SuffixOf[T] };

export type JsonObject = { [k: string]: unknown };

export interface LiveMessage {
  kind: 'message';
  /** Dedupe key: type + first `as:` correlation ID + received_at. Also the deep-link ID. */
  key: string;
  type: EventType;
  deviceId: string;
  receivedAt: string;
  /** Milliseconds since the epoch, for sorting and charts. */
  time: number;
  correlationIds: string[];
  message: JsonObject;
}

export interface GapMarker {
  kind: 'gap';
  key: string;
  time: number;
  /** When the connection was lost and when it came back (ms since epoch). */
  from: number;
  to: number;
  recovered: number;
}

export type LiveRow = LiveMessage | GapMarker;

/** Rows that are events, not markers: counted every frame over the whole buffer, so no copy. */
export function countMessages(rows: readonly LiveRow[]): number {
  let n = 0;
  for (const r of rows) if (r.kind === 'message') n++;
  return n;
}

export const isObject = (v: unknown): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function bodyOf(message: JsonObject): { field: string; body: JsonObject } | undefined {
  for (const field of Object.keys(BODY_TYPES)) {
    const body = message[field];
    if (isObject(body)) return { field, body };
  }
  return undefined;
}

function typeFromTopic(topic: string): EventType | undefined {
  const m = /^v3\/[^/]+\/devices\/[^/]+\/(.+)$/.exec(topic);
  const suffix = m?.[1];
  return (EVENT_TYPES as readonly string[]).includes(suffix ?? '') ? (suffix as EventType) : undefined;
}

/** Builds a row from a parsed `ApplicationUp`; `topic` is known for MQTT messages only. */
export function toLiveMessage(message: unknown, topic?: string): LiveMessage | undefined {
  if (!isObject(message)) return undefined;
  const ids = isObject(message.end_device_ids) ? message.end_device_ids : {};
  const deviceId = typeof ids.device_id === 'string' ? ids.device_id : '';
  const body = bodyOf(message);
  const type = (topic && typeFromTopic(topic)) || (body && BODY_TYPES[body.field]) || 'other';
  const correlationIds = Array.isArray(message.correlation_ids)
    ? message.correlation_ids.filter((c): c is string => typeof c === 'string')
    : [];
  const receivedAt =
    typeof message.received_at === 'string'
      ? message.received_at
      : typeof body?.body.received_at === 'string'
        ? body.body.received_at
        : new Date().toISOString();
  const parsed = Date.parse(receivedAt);
  const firstAs = correlationIds.find((c) => c.startsWith('as:')) ?? correlationIds[0] ?? '';
  return {
    kind: 'message',
    key: `${deviceId}~${type}~${firstAs}~${receivedAt}`,
    type,
    deviceId,
    receivedAt,
    time: Number.isNaN(parsed) ? Date.now() : parsed,
    correlationIds,
    message,
  };
}

/** One for all messages: making a decoder per message cost as much as the JSON parse. */
const utf8 = new TextDecoder();

/** Parses an MQTT payload; undefined for anything that is not an `ApplicationUp` object. */
export function fromMqtt(topic: string, payload: Uint8Array): LiveMessage | undefined {
  try {
    return toLiveMessage(JSON.parse(utf8.decode(payload)), topic);
  } catch {
    return undefined;
  }
}
