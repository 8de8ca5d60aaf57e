import { generate, type IConnectPacket, type Packet, parser } from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { parseSimpleConnect } from './connectParser';

/** What mqtt-packet's own parser makes of `bytes`: its packet, or its error message. */
function byMqttPacket(bytes: Buffer): Packet | string | undefined {
  const p = parser();
  let out: Packet | string | undefined;
  p.on('packet', (packet: Packet) => {
    out ??= packet;
  });
  p.on('error', (e: Error) => {
    out ??= e.message;
  });
  p.parse(bytes);
  return out;
}

const base: IConnectPacket = {
  cmd: 'connect',
  protocolId: 'MQTT',
  protocolVersion: 4,
  clean: true,
  clientId: 'storm-0-17',
  keepalive: 300,
  username: 'bench-app',
  password: Buffer.from('NNSXS.KEY.SECRET'),
};
const connect = (change: Partial<IConnectPacket> = {}, version: 3 | 4 | 5 = 4) =>
  generate({ ...base, ...change }, { protocolVersion: version });

describe('the usual CONNECT read straight from its bytes', () => {
  it.each([
    ['username and password', connect()],
    ['no credentials', connect({ username: undefined, password: undefined })],
    ['username only', connect({ password: undefined })],
    // mqtt-packet will not write this one; the server refuses it (0x02) after parsing.
    ['an empty client ID, persistent session', flip(connect({ clientId: '' }), 9, 0x02)],
    ['keepalive 0', connect({ keepalive: 0 })],
    ['non-ASCII client ID and username', connect({ clientId: 'zähler-☃', username: 'app@tenant' })],
    ['a remaining length of two bytes', connect({ clientId: 'c'.repeat(300) })],
    ['an empty password', connect({ password: Buffer.alloc(0) })],
  ])('%s: the packet mqtt-packet makes', (_, bytes) => {
    const fast = parseSimpleConnect(bytes);
    expect(fast).toBeDefined();
    expect(fast).toEqual(byMqttPacket(bytes));
  });

  it.each([
    ['MQTT 5', connect({ protocolVersion: 5 }, 5)],
    ['MQTT 3.1', connect({ protocolId: 'MQIsdp', protocolVersion: 3 }, 3)],
    ['a will', connect({ will: { topic: 't', payload: Buffer.from('x'), qos: 0, retain: false } })],
    ['the reserved flag set', flip(connect(), 9, 0x01)],
    ['will QoS without a will', flip(connect(), 9, 0x08)],
    ['will retain without a will', flip(connect(), 9, 0x20)],
    ['flags in the fixed header', flip(connect(), 0, 0x02)],
    ['protocol level 9', set(connect(), 8, 9)],
    ['a client ID longer than the packet', set(connect(), 13, 0xff)],
    ['bytes after the password', withTrailingByte(connect())],
  ])('%s: left to mqtt-packet', (_, bytes) => {
    expect(parseSimpleConnect(bytes)).toBeUndefined();
  });

  it('agrees with mqtt-packet on every damaged CONNECT it takes', () => {
    // A fixed-seed generator: the same 20 000 damaged packets every run.
    let seed = 18;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    const originals = [connect(), connect({ password: undefined }), connect({ clientId: '' })];
    let taken = 0;
    for (let i = 0; i < 20_000; i++) {
      const bytes = Buffer.from(originals[i % originals.length] as Buffer);
      for (let k = 0; k <= random(3); k++) bytes[1 + random(bytes.length - 1)] = random(256);
      const fast = parseSimpleConnect(bytes);
      if (!fast) continue;
      taken++;
      expect(fast).toEqual(byMqttPacket(bytes));
    }
    // Damage to a client ID, a username or a password's contents still makes a CONNECT.
    expect(taken).toBeGreaterThan(1_000);
  });
});

function flip(bytes: Buffer, at: number, bit: number): Buffer {
  bytes[at] = (bytes[at] as number) ^ bit;
  return bytes;
}

function set(bytes: Buffer, at: number, value: number): Buffer {
  bytes[at] = value;
  return bytes;
}

/** The same fields, one byte more in the remaining length and at the end. */
function withTrailingByte(bytes: Buffer): Buffer {
  const out = Buffer.concat([bytes, Buffer.from([0x2a])]);
  out[1] = (out[1] as number) + 1;
  return out;
}
