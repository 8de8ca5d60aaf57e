import { parser as createParser, generate, type Packet } from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import {
  encodeConnack,
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

  it('a long SUBACK round-trips', () => {
    const granted = Array.from({ length: 200 }, (_, i) => (i % 3 === 2 ? 0x80 : i % 2));
    const parsed: Packet[] = [];
    const p = createParser();
    p.on('packet', (packet: Packet) => parsed.push(packet));
    p.parse(encodeSuback(9, granted));
    expect(parsed).toMatchObject([{ cmd: 'suback', messageId: 9, granted }]);
  });
});
