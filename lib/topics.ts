/**
 * TTS v3 MQTT topics (docs/behaviour.md §3), as TTS's io/mqtt/topics/v3.go: build the topics Mote publishes
 * on, scope what a client subscribes to onto its own application, and parse the downlink topics
 * it may publish to. Pure: shared by the server and the console.
 */
import { isValidId, splitTenant } from './ids';

export const TOPIC_VERSION = 'v3';

/** The topics a client publishes downlinks to: `…/down/push` and `…/down/replace` (docs/behaviour.md §3). */
export const DOWNLINK_OPERATIONS = ['push', 'replace'] as const;
export type DownlinkOperation = (typeof DOWNLINK_OPERATIONS)[number];
const isDownlinkOperation = (s: string): s is DownlinkOperation =>
  (DOWNLINK_OPERATIONS as readonly string[]).includes(s);

export interface DownlinkTopic {
  applicationId: string;
  /** Set when the topic named the application TTS Cloud style, `{app}@{tenant}`. */
  tenant?: string;
  deviceId: string;
  operation: DownlinkOperation;
}

/**
 * Every ApplicationUp body (docs/behaviour.md §4) once, in TTS's oneof order: its topic suffix after
 * `v3/{app}/devices/{dev}/` (TTS io/mqtt/format.go, topics/v3.go) and the TTS event it is
 * forwarded as (pkg/applicationserver/observability.go). `UpType`, `UpEvent`, `UP_EVENT`,
 * `UP_TYPES`, `EVENT_OF_TYPE` and the codec's body list all derive from it.
 * `downlink_queued` has no TTS event of its own: TTS emits `as.down.data.forward` when it hands
 * an item on, the closest meaning.
 */
export const UP_MESSAGES = {
  uplink_message: { topic: 'up', event: 'as.up.data.forward' },
  uplink_normalized: { topic: 'up/normalized', event: 'as.up.normalized.forward' },
  join_accept: { topic: 'join', event: 'as.up.join.forward' },
  downlink_ack: { topic: 'down/ack', event: 'as.down.data.ack.forward' },
  downlink_nack: { topic: 'down/nack', event: 'as.down.data.nack.forward' },
  downlink_sent: { topic: 'down/sent', event: 'as.down.data.sent.forward' },
  downlink_failed: { topic: 'down/failed', event: 'as.down.data.failed.forward' },
  downlink_queued: { topic: 'down/queued', event: 'as.down.data.forward' },
  downlink_queue_invalidated: { topic: 'down/invalidated', event: 'as.down.data.queue.invalidated.forward' },
  location_solved: { topic: 'location/solved', event: 'as.up.location.forward' },
  service_data: { topic: 'service/data', event: 'as.up.service.forward' },
} as const satisfies Record<string, { topic: string; event: string }>;

/**
 * Mote-only: TTS events that are not ApplicationUp messages, which Mote's console (an MQTT
 * client) receives on a topic of their own. Only console sessions get them and history does not
 * keep them (BusMessage.audience `console`); TTS clients never see these topics.
 */
export const CONSOLE_MESSAGES = {
  /** An uplink whose payload formatter failed. */
  uplink_decode_failed: { topic: 'up/decode/failed', event: 'as.up.data.decode.fail' },
  /** A frame of a known device the network layer dropped (wrong MIC, replay, …): TTS `ns.up.drop`. */
  uplink_drop: { topic: 'up/drop', event: 'ns.up.drop' },
} as const satisfies Record<string, { topic: string; event: string }>;

/** Body field name of an ApplicationUp. */
export type UpType = keyof typeof UP_MESSAGES;
export type ConsoleMessageType = keyof typeof CONSOLE_MESSAGES;

/** Topic suffix of an ApplicationUp body. */
export type UpTopic = (typeof UP_MESSAGES)[UpType]['topic'];
export type ConsoleTopic = (typeof CONSOLE_MESSAGES)[ConsoleMessageType]['topic'];
/** Every topic suffix Mote publishes on: the bus's `event`. */
export type UpEvent = UpTopic | ConsoleTopic;

/** TTS event name of an ApplicationUp body (`as.up.data.forward` …). */
export type UpEventName = (typeof UP_MESSAGES)[UpType]['event'];

export const UP_TYPES = Object.keys(UP_MESSAGES) as UpType[];

const pick = <K extends 'topic' | 'event'>(key: K) =>
  Object.fromEntries(UP_TYPES.map((t) => [t, UP_MESSAGES[t][key]])) as {
    readonly [T in UpType]: (typeof UP_MESSAGES)[T][K];
  };

/** The MQTT topic suffix of each body (docs/behaviour.md §3). */
export const UP_EVENT = pick('topic');

/** The TTS event each body is forwarded as. */
export const EVENT_OF_TYPE = pick('event');

/** `v3/{app}/devices/{dev}/{event}`, e.g. event `up` or `down/queued`. */
export const deviceTopic = (applicationId: string, deviceId: string, event: string): string =>
  `${TOPIC_VERSION}/${applicationId}/devices/${deviceId}/${event}`;

/**
 * A filter is well formed when `#` is alone on the last level and `+` alone on its level
 * [MQTT-4.7.1-2] [MQTT-4.7.1-3], it is not empty [MQTT-4.7.3-1] and has no NUL [MQTT-1.5.3-2].
 */
export function isValidFilter(filter: string): boolean {
  if (filter.length === 0 || filter.includes('\u0000')) return false;
  const levels = filter.split('/');
  for (const [i, level] of levels.entries()) {
    if (level.includes('#') && (level !== '#' || i !== levels.length - 1)) return false;
    if (level.includes('+') && level !== '+') return false;
  }
  return true;
}

/**
 * A topic name a client may publish to: not empty [MQTT-4.7.3-1], no wildcard [MQTT-3.3.2-2], no
 * NUL [MQTT-1.5.3-2]. Anything else is a protocol violation, not just an unknown topic.
 */
export const isValidTopicName = (topic: string): boolean =>
  topic.length > 0 && !topic.includes('+') && !topic.includes('#') && !topic.includes('\u0000');

/**
 * How a session names its application in topics: `app1`, or `app1@ttn` when it logged in TTS
 * Cloud style (docs/behaviour.md §3.2).
 */
export const topicApplication = (applicationId: string, tenant?: string): string =>
  tenant === undefined ? applicationId : `${applicationId}@${tenant}`;

/**
 * The docs/behaviour.md §3 rewrite: `#` and `v3/#` → `v3/{app}/#`; `v3/+/…` → `v3/{app}/…`; `v3/{app}/…`
 * unchanged. Anything else — other applications, `$SYS/…`, `+/…`, bare `v3` — is refused
 * (undefined), never widened. A session with a `tenant` names its application `{app}@{tenant}`
 * and only so; the result is always in the plain form, the one the bus publishes on.
 */
export function scopeSubscription(
  filter: string,
  applicationId: string,
  tenant?: string,
): string | undefined {
  if (!isValidFilter(filter)) return undefined;
  if (filter === '#') return `${TOPIC_VERSION}/${applicationId}/#`;
  const prefix = `${TOPIC_VERSION}/`;
  if (!filter.startsWith(prefix)) return undefined;
  const slash = filter.indexOf('/', prefix.length);
  const app = slash === -1 ? filter.slice(prefix.length) : filter.slice(prefix.length, slash);
  const rest = slash === -1 ? '' : filter.slice(slash);
  if (app === '#') return `${TOPIC_VERSION}/${applicationId}/#`;
  if (app === '+' || app === topicApplication(applicationId, tenant))
    return `${TOPIC_VERSION}/${applicationId}${rest}`;
  return undefined;
}

/**
 * A topic Mote publishes on (`v3/{app}/…`) as a session with a tenant sees it:
 * `v3/{app}@{tenant}/…`. Unchanged without a tenant.
 */
export function topicForSession(topic: string, applicationId: string, tenant?: string): string {
  if (tenant === undefined) return topic;
  const prefix = `${TOPIC_VERSION}/${applicationId}/`;
  if (!topic.startsWith(prefix)) return topic;
  return `${TOPIC_VERSION}/${topicApplication(applicationId, tenant)}/${topic.slice(prefix.length)}`;
}

/**
 * `v3/{app}/devices/{dev}/down/push|replace`, `{app}` possibly `{app}@{tenant}`; undefined for any other topic, including one whose
 * IDs are not IDs (docs/behaviour.md §2): the answer goes out on `…/{dev}/down/failed`, and a device ID like
 * `+` or one with a NUL would make that an invalid topic for every subscriber.
 */
export function parseDownlinkTopic(topic: string): DownlinkTopic | undefined {
  const levels = topic.split('/');
  if (levels.length !== 6) return undefined;
  const [version, applicationId, devices, deviceId, down, operation] = levels;
  if (version !== TOPIC_VERSION || devices !== 'devices' || down !== 'down') return undefined;
  if (applicationId === undefined || deviceId === undefined || operation === undefined) return undefined;
  if (!isDownlinkOperation(operation)) return undefined;
  const { id, tenant } = splitTenant(applicationId);
  if (!isValidId(id) || !isValidId(deviceId)) return undefined;
  if (tenant !== undefined && !isValidId(tenant)) return undefined;
  return tenant === undefined
    ? { applicationId: id, deviceId, operation }
    : { applicationId: id, tenant, deviceId, operation };
}

/**
 * Whether `topic` matches a well-formed `filter` [MQTT-4.7]. Walks both strings without
 * splitting, since it runs once per message per subscription.
 */
export function topicMatches(filter: string, topic: string): boolean {
  let f = 0;
  let t = 0;
  while (f < filter.length) {
    const fc = filter.charCodeAt(f);
    if (fc === 0x23 /* # */) return true;
    if (fc === 0x2b /* + */) {
      while (t < topic.length && topic.charCodeAt(t) !== 0x2f) t++;
      f++;
      continue;
    }
    if (t >= topic.length) {
      // `a/#` also matches its parent level `a` [MQTT-4.7.1-2].
      return filter.length - f === 2 && fc === 0x2f && filter.charCodeAt(f + 1) === 0x23;
    }
    if (fc !== topic.charCodeAt(t)) return false;
    f++;
    t++;
  }
  return t === topic.length;
}
