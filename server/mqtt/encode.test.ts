import { parser as createParser, generate, type Packet } from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import {
  EncodedPublish,
  encodeConnack,
  encodeDisconnectV5,
  encodePuback,
  encodePubcomp,
  encodePublishQos0,
  encodePublishQos1Head,
  encodePubrec,
  encodeSuback,
  encodeUnsuback,
  withPacketId,
} from './encode';

const publish = (topic: string, payload: Buffer, qos: 0 | 1, messageId?: number): Packet => ({
  cmd: 'publish',
  topic,
  payload,
  qos,
  messageId,
  dup: false,
  retain: false,
});

// Payload sizes around each remaining-length boundary (1, 2, 3 bytes).
const SIZES = [0, 1, 100, 127 - 20, 128, 16_383 - 30, 16_384, 70_000, 2_097_152];

describe('PUBLISH encoding equals mqtt-packet’s', () => {
  it.each(SIZES)('QoS 0, %i-byte payload', (size) => {
    const payload = Buffer.alloc(size, 7);
    for (const topic of ['v3/app1/devices/dev1/up', 'v3/äpp/devices/dév/up']) {
      expect(encodePublishQos0(topic, payload).equals(generate(publish(topic, payload, 0)))).toBe(true);
    }
  });

  it.each(SIZES)('QoS 1, %i-byte payload', (size) => {
    const payload = Buffer.alloc(size, 9);
    const topic = 'v3/app1/devices/dev1/down/queued';
    const head = encodePublishQos1Head(topic, payload.length);
    for (const id of [1, 258, 65_535]) {
      const bytes = Buffer.concat([withPacketId(head, id), payload]);
      expect(bytes.equals(generate(publish(topic, payload, 1, id)))).toBe(true);
    }
  });
});

describe('MQTT 5 PUBLISH encoding equals mqtt-packet’s', () => {
  it.each(SIZES)('%i-byte payload, QoS 0 and 1', (size) => {
    const payload = Buffer.alloc(size, 3);
    const topic = 'v3/app1/devices/dev1/up';
    const v5 = { protocolVersion: 5 };
    expect(encodePublishQos0(topic, payload, true).equals(generate(publish(topic, payload, 0), v5))).toBe(
      true,
    );
    const bytes = Buffer.concat([withPacketId(encodePublishQos1Head(topic, size, true), 300, true), payload]);
    expect(bytes.equals(generate(publish(topic, payload, 1, 300), v5))).toBe(true);
  });

  it('EncodedPublish shares one buffer per variant', () => {
    const m = new EncodedPublish('v3/app1/devices/dev1/up', Buffer.from('{}'));
    expect(m.qos0(false)).toBe(m.qos0(false));
    expect(m.qos0(true)).not.toBe(m.qos0(false));
    expect(m.qos1Head(true)).toBe(m.qos1Head(true));
  });
});

describe('acknowledgement encoding equals mqtt-packet’s', () => {
  it.each([
    [encodePuback(513), { cmd: 'puback', messageId: 513 }],
    [encodePubrec(1), { cmd: 'pubrec', messageId: 1 }],
    [encodePubcomp(65_535), { cmd: 'pubcomp', messageId: 65_535 }],
    [encodeUnsuback(7), { cmd: 'unsuback', messageId: 7 }],
    [encodeSuback(3, [0, 1, 0x80]), { cmd: 'suback', messageId: 3, granted: [0, 1, 0x80] }],
    [encodeConnack(5), { cmd: 'connack', returnCode: 5, sessionPresent: false }],
    [encodeConnack(0, true), { cmd: 'connack', returnCode: 0, sessionPresent: true }],
  ] as Array<[Buffer, Packet]>)('%o', (bytes, packet) => {
    expect(bytes.equals(generate(packet))).toBe(true);
  });

  it.each([
    [encodePuback(9, 0x87), { cmd: 'puback', messageId: 9, reasonCode: 0x87 }],
    [encodePubrec(9, 0x90), { cmd: 'pubrec', messageId: 9, reasonCode: 0x90 }],
    [encodePubcomp(9, 0x92), { cmd: 'pubcomp', messageId: 9, reasonCode: 0x92 }],
    [encodePuback(9), { cmd: 'puback', messageId: 9, reasonCode: 0 }],
    [encodeSuback(3, [1, 0x87], true), { cmd: 'suback', messageId: 3, granted: [1, 0x87] }],
    [encodeUnsuback(4, [0, 0x11]), { cmd: 'unsuback', messageId: 4, granted: [0, 0x11] }],
    [encodeDisconnectV5(0x8e), { cmd: 'disconnect', reasonCode: 0x8e }],
  ] as Array<[Buffer, Packet]>)('MQTT 5 %o parses back', (bytes, packet) => {
    const parsed: Packet[] = [];
    const p = createParser({ protocolVersion: 5 });
    p.on('packet', (x: Packet) => parsed.push(x));
    p.parse(bytes);
    expect(parsed).toMatchObject([packet]);
  });

  it('a long SUBACK round-trips', () => {
    const granted = Array.from({ length: 200 }, (_, i) => (i % 3 === 2 ? 0x80 : i % 2));
    const parsed: Packet[] = [];
    const p = createParser();
    p.on('packet', (packet: Packet) => parsed.push(packet));
    p.parse(encodeSuback(9, granted));
    expect(parsed).toMatchObject([{ cmd: 'suback', messageId: 9, granted }]);
  });
});
