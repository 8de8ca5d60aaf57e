import { generate, type Packet } from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { type ParseTarget, parsePacket } from './packetParser';

function target(onPacket: (p: Packet) => void = () => {}) {
  const t = {
    parseLevel: undefined as number | undefined,
    packets: [] as Packet[],
    errors: [] as string[],
    onPacket(p: Packet) {
      t.packets.push(p);
      onPacket(p);
    },
    onParseError(e: Error) {
      t.errors.push(e.message);
    },
  } satisfies ParseTarget & Record<string, unknown>;
  return t;
}

const connect = (clientId: string, protocolVersion: 4 | 5) =>
  generate(
    { cmd: 'connect', protocolId: 'MQTT', protocolVersion, clean: true, clientId, keepalive: 30 },
    { protocolVersion },
  );

const publish = (topic: string, protocolVersion: 4 | 5) =>
  generate(
    {
      cmd: 'publish',
      topic,
      payload: Buffer.from('{}'),
      qos: 1,
      messageId: 7,
      retain: false,
      dup: false,
      ...(protocolVersion === 5 ? { properties: { contentType: 'application/json' } } : {}),
    },
    { protocolVersion },
  );

describe('one parser shared by every connection', () => {
  it('a malformed packet leaves nothing behind for the next connection', () => {
    const bad = connect('bad', 4);
    bad[8] = 9; // protocol level 9
    const a = target();
    parsePacket(bad, a);
    expect(a.errors).toEqual(['Invalid protocol version']);

    const b = target();
    parsePacket(connect('good', 4), b);
    parsePacket(generate({ cmd: 'pingreq' }), b);
    expect(b.errors).toEqual([]);
    expect(b.packets.map((p) => p.cmd)).toEqual(['connect', 'pingreq']);
    expect(b.packets[0]).toMatchObject({ clientId: 'good', protocolVersion: 4 });

    // A packet cut short mid-field (a SUBSCRIBE claiming more than it holds) then a whole one.
    const c = target();
    parsePacket(connect('c', 4), c);
    parsePacket(Buffer.from([0x82, 0x04, 0x00, 0x01, 0x00, 0x09]), c);
    parsePacket(publish('v3/app/devices/d/down/push', 4), b);
    expect(c.errors.length).toBe(1);
    expect(b.packets.at(-1)).toMatchObject({ cmd: 'publish', topic: 'v3/app/devices/d/down/push' });
  });

  it('reads each connection at the level its CONNECT announced, interleaved', () => {
    const v5 = target();
    const v4 = target();
    parsePacket(connect('five', 5), v5);
    parsePacket(connect('four', 4), v4);
    expect([v5.parseLevel, v4.parseLevel]).toEqual([5, 4]);
    parsePacket(publish('t/5', 5), v5);
    parsePacket(publish('t/4', 4), v4);
    parsePacket(publish('t/5b', 5), v5);
    expect(v5.errors.concat(v4.errors)).toEqual([]);
    expect(v5.packets.slice(1)).toMatchObject([
      { topic: 't/5', properties: { contentType: 'application/json' } },
      { topic: 't/5b', properties: { contentType: 'application/json' } },
    ]);
    expect(v4.packets[1]).toMatchObject({ topic: 't/4', messageId: 7 });
    expect((v4.packets[1] as { properties?: unknown }).properties).toBeUndefined();
  });

  it('a handler that parses for another connection meanwhile gets its own parser', () => {
    const other = target();
    parsePacket(connect('other', 4), other);
    const outer = target((p) => {
      if (p.cmd === 'publish') parsePacket(generate({ cmd: 'pingreq' }), other);
    });
    parsePacket(connect('outer', 4), outer);
    parsePacket(publish('t/outer', 4), outer);
    parsePacket(generate({ cmd: 'pingreq' }), outer);
    expect(outer.packets.map((p) => p.cmd)).toEqual(['connect', 'publish', 'pingreq']);
    expect(other.packets.map((p) => p.cmd)).toEqual(['connect', 'pingreq']);
    expect(outer.errors.concat(other.errors)).toEqual([]);
  });
});
