import { describe, expect, it } from 'vitest';
import {
  CONSOLE_MESSAGES,
  deviceTopic,
  EVENT_OF_TYPE,
  isValidFilter,
  isValidTopicName,
  parseDownlinkTopic,
  scopeSubscription,
  topicForSession,
  topicMatches,
  UP_EVENT,
  UP_TYPES,
} from './topics';

describe('UP_MESSAGES', () => {
  it('has TTS v3 topic and event of every ApplicationUp body, in oneof order', () => {
    expect(UP_TYPES.map((t) => [t, UP_EVENT[t], EVENT_OF_TYPE[t]])).toEqual([
      ['uplink_message', 'up', 'as.up.data.forward'],
      ['uplink_normalized', 'up/normalized', 'as.up.normalized.forward'],
      ['join_accept', 'join', 'as.up.join.forward'],
      ['downlink_ack', 'down/ack', 'as.down.data.ack.forward'],
      ['downlink_nack', 'down/nack', 'as.down.data.nack.forward'],
      ['downlink_sent', 'down/sent', 'as.down.data.sent.forward'],
      ['downlink_failed', 'down/failed', 'as.down.data.failed.forward'],
      ['downlink_queued', 'down/queued', 'as.down.data.forward'],
      ['downlink_queue_invalidated', 'down/invalidated', 'as.down.data.queue.invalidated.forward'],
      ['location_solved', 'location/solved', 'as.up.location.forward'],
      ['service_data', 'service/data', 'as.up.service.forward'],
    ]);
  });

  it('keeps console-only topics apart from every TTS topic', () => {
    const tts = new Set<string>(Object.values(UP_EVENT));
    for (const m of Object.values(CONSOLE_MESSAGES)) expect(tts.has(m.topic)).toBe(false);
  });
});

describe('deviceTopic', () => {
  it.each([
    ['app1', 'dev1', 'up', 'v3/app1/devices/dev1/up'],
    ['app1', 'dev1', 'down/queued', 'v3/app1/devices/dev1/down/queued'],
    [
      'my-app',
      'eui-0004a30b001c0530',
      'location/solved',
      'v3/my-app/devices/eui-0004a30b001c0530/location/solved',
    ],
  ])('%s %s %s → %s', (app, dev, event, want) => {
    expect(deviceTopic(app, dev, event)).toBe(want);
  });
});

describe('scopeSubscription (docs/behaviour.md §3 table)', () => {
  it.each([
    ['#', 'v3/app1/#'],
    ['v3/#', 'v3/app1/#'],
    ['v3/+/#', 'v3/app1/#'],
    ['v3/+/devices/+/up', 'v3/app1/devices/+/up'],
    ['v3/+/devices/dev1/down/#', 'v3/app1/devices/dev1/down/#'],
    ['v3/+', 'v3/app1'],
    ['v3/app1/#', 'v3/app1/#'],
    ['v3/app1', 'v3/app1'],
    ['v3/app1/devices/dev1/up', 'v3/app1/devices/dev1/up'],
    ['v3/app1/devices/+/down/+', 'v3/app1/devices/+/down/+'],
    // refused: not this application, not under v3, or malformed
    ['v3/app2/#', undefined],
    ['v3/app2/devices/dev1/up', undefined],
    ['v3/app10/#', undefined],
    ['v3/app/#', undefined],
    ['v3', undefined],
    ['+/#', undefined],
    ['+/app1/#', undefined],
    ['$SYS/#', undefined],
    ['$SYS/broker/uptime', undefined],
    ['v2/app1/#', undefined],
    ['app1/#', undefined],
    ['', undefined],
    ['v3/app1/#/up', undefined],
    ['v3/app1/dev+', undefined],
    ['v3/app1#', undefined],
    ['v3/app1/\u0000', undefined],
  ])('%j → %j', (filter, want) => {
    expect(scopeSubscription(filter, 'app1')).toBe(want);
  });

  // A session that logged in as `app1@ttn` names its application so, and only so (§3.2).
  it.each([
    ['#', 'v3/app1/#'],
    ['v3/+/devices/+/up', 'v3/app1/devices/+/up'],
    ['v3/app1@ttn/devices/dev1/up', 'v3/app1/devices/dev1/up'],
    ['v3/app1@ttn/#', 'v3/app1/#'],
    ['v3/app1/#', undefined],
    ['v3/app1@other/#', undefined],
    ['v3/app2@ttn/#', undefined],
  ])('tenant ttn: %j → %j', (filter, want) => {
    expect(scopeSubscription(filter, 'app1', 'ttn')).toBe(want);
  });

  it('a plain session does not take the tenant form', () => {
    expect(scopeSubscription('v3/app1@ttn/#', 'app1')).toBeUndefined();
  });
});

describe('topicForSession', () => {
  it.each([
    ['v3/app1/devices/dev1/up', undefined, 'v3/app1/devices/dev1/up'],
    ['v3/app1/devices/dev1/up', 'ttn', 'v3/app1@ttn/devices/dev1/up'],
    ['v3/app1/devices/dev1/down/queued', 'ttn', 'v3/app1@ttn/devices/dev1/down/queued'],
  ])('%j with tenant %j → %j', (topic, tenant, want) => {
    expect(topicForSession(topic, 'app1', tenant)).toBe(want);
  });
});

describe('isValidFilter', () => {
  it.each([
    ['#', true],
    ['+', true],
    ['a/+/b/#', true],
    ['a//b', true],
    ['/', true],
    ['a/#/b', false],
    ['a/b#', false],
    ['a+/b', false],
    ['', false],
  ])('%j → %s', (filter, want) => {
    expect(isValidFilter(filter)).toBe(want);
  });
});

describe('isValidTopicName', () => {
  it.each([
    ['v3/app1/devices/dev1/down/push', true],
    ['a', true],
    ['/', true],
    ['v3/app1/devices/+/down/push', false],
    ['v3/#', false],
    ['a+b', false],
    ['a\u0000b', false],
    ['', false],
  ])('%j → %s', (topic, want) => {
    expect(isValidTopicName(topic)).toBe(want);
  });
});

describe('parseDownlinkTopic', () => {
  it.each([
    ['v3/app1/devices/dev1/down/push', { applicationId: 'app1', deviceId: 'dev1', operation: 'push' }],
    ['v3/app1/devices/dev1/down/replace', { applicationId: 'app1', deviceId: 'dev1', operation: 'replace' }],
    ['v3/app1/devices/dev1/down/queued', undefined],
    ['v3/app1/devices/dev1/up', undefined],
    ['v3/app1/devices/dev1/down/push/extra', undefined],
    ['v3/app1/devices//down/push', undefined],
    ['v3//devices/dev1/down/push', undefined],
    ['v2/app1/devices/dev1/down/push', undefined],
    ['v3/app1/things/dev1/down/push', undefined],
    ['', undefined],
    // Not IDs (docs/behaviour.md §2): the down/failed answer would go out on an invalid topic.
    ['v3/app1/devices/+/down/push', undefined],
    ['v3/app1/devices/#/down/push', undefined],
    ['v3/app1/devices/a\u0000b/down/push', undefined],
    ['v3/app1/devices/DEV1/down/push', undefined],
    ['v3/+/devices/dev1/down/push', undefined],
    [`v3/app1/devices/${'d'.repeat(37)}/down/push`, undefined],
    [
      'v3/app1@ttn/devices/dev1/down/push',
      { applicationId: 'app1', tenant: 'ttn', deviceId: 'dev1', operation: 'push' },
    ],
    ['v3/app1@/devices/dev1/down/push', undefined],
    ['v3/@ttn/devices/dev1/down/push', undefined],
  ])('%j → %j', (topic, want) => {
    expect(parseDownlinkTopic(topic)).toEqual(want);
  });
});

describe('topicMatches', () => {
  it.each([
    ['#', 'v3/app1/devices/dev1/up', true],
    ['v3/app1/#', 'v3/app1/devices/dev1/up', true],
    ['v3/app1/#', 'v3/app1', true],
    ['v3/app1/#', 'v3/app10/devices/dev1/up', false],
    ['v3/app1/devices/+/up', 'v3/app1/devices/dev1/up', true],
    ['v3/app1/devices/+/up', 'v3/app1/devices/dev1/up/normalized', false],
    ['v3/app1/devices/+/up/#', 'v3/app1/devices/dev1/up', true],
    ['v3/app1/devices/+/down/+', 'v3/app1/devices/dev1/down/queued', true],
    ['v3/app1/devices/+/down/+', 'v3/app1/devices/dev1/up', false],
    ['v3/app1/devices/dev1/up', 'v3/app1/devices/dev1/up', true],
    ['v3/app1/devices/dev1/up', 'v3/app1/devices/dev12/up', false],
    ['v3/app1/devices/dev1/up', 'v3/app1/devices/dev1/u', false],
    ['v3/+', 'v3/app1', true],
    ['v3/+', 'v3/app1/devices', false],
    ['a/+/c', 'a//c', true],
    ['+/#', 'a', true],
  ])('%j ~ %j → %s', (filter, topic, want) => {
    expect(topicMatches(filter, topic)).toBe(want);
  });
});
