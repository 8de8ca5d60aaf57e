/**
 * Fuzz cases for the MQTT frontend: valid packets from `packets.ts`, mutated (bit flips, byte
 * edits, truncation, wrong or huge remaining lengths, splices), plus hand-made wrong ones
 * (invalid UTF-8 names, packets out of order, CONNECT twice, SUBSCRIBE without filters, 65 535
 * topic levels, oversized packets). Case i depends only on the seed and i's predecessors.
 */
import type { Packet } from 'mqtt-packet';
import type { Rng } from '../prng';
import { encode, randomConnect, type Target, type Version, validPacket } from './packets';

export interface FuzzCase {
  /** Position in the seeded sequence, to name it in a report. */
  index: number;
  kind: string;
  version: Version;
  /** Sent after a successful CONNECT (true) or as the first bytes of a fresh connection. */
  afterConnect: boolean;
  bytes: Buffer;
}

/** Splits a generated packet into its first byte, remaining-length bytes and body. */
function split(packet: Buffer): { head: number; body: Buffer } {
  const head = packet[0];
  if (head === undefined) throw new RangeError('empty packet');
  let i = 1;
  // The bytes with the continuation bit; the packet ending stops it too.
  while ((packet[i] ?? 0) & 0x80) i++;
  return { head, body: packet.subarray(i + 1) };
}

/** MQTT's variable byte integer (any value, so also the ones the standard forbids). */
function varint(n: number): Buffer {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return Buffer.from(out);
}

const withLength = (head: number, length: Buffer, body: Buffer) =>
  Buffer.concat([Buffer.from([head]), length, body]);

type Mutator = (rng: Rng, b: Buffer) => Buffer;

const MUTATORS: Record<string, Mutator> = {
  bitflip(rng, b) {
    const out = Buffer.from(b);
    for (let k = rng.range(1, 4); k > 0; k--) {
      const at = rng.int(out.length);
      // An empty packet has no byte to flip; the write past its end is ignored, as before.
      out[at] = (out[at] ?? 0) ^ (1 << rng.int(8));
    }
    return out;
  },
  bytes(rng, b) {
    const out = Buffer.from(b);
    for (let k = rng.range(1, 3); k > 0; k--)
      out[rng.int(out.length)] = rng.pick([0x00, 0x7f, 0x80, 0xff, rng.int(256)]);
    return out;
  },
  truncate: (rng, b) => b.subarray(0, rng.range(1, b.length - 1)),
  'wrong-length'(rng, b) {
    const { head, body } = split(b);
    const wrong = rng.chance(0.5)
      ? Math.max(0, body.length + rng.pick([-3, -2, -1, 1, 2, 3, 16]))
      : rng.int(1 << 14);
    return withLength(head, varint(wrong), body);
  },
  'huge-length'(rng, b) {
    const { head, body } = split(b);
    const lengths = [
      [0xff, 0xff, 0xff, 0x7f], // 268 435 455, the largest MQTT allows
      [0x80, 0x80, 0x80, 0x80, 0x01], // a fifth length byte, which MQTT forbids
      [0xff, 0xff, 0xff, 0xff, 0xff],
      [0x80, 0x80, 0x80, 0x00], // non-minimal encoding of 0
    ];
    return withLength(head, Buffer.from(rng.pick(lengths)), body.subarray(0, rng.int(body.length + 1)));
  },
  // An empty input (none is generated) reads as a zero first byte.
  'header-flags': (rng, b) =>
    Buffer.concat([Buffer.from([((b[0] ?? 0) & 0xf0) | rng.int(16)]), b.subarray(1)]),
  'packet-type': (rng, b) =>
    Buffer.concat([Buffer.from([(rng.int(16) << 4) | ((b[0] ?? 0) & 0x0f)]), b.subarray(1)]),
  insert(rng, b) {
    const at = rng.int(b.length + 1);
    return Buffer.concat([b.subarray(0, at), rng.bytes(rng.range(1, 8)), b.subarray(at)]);
  },
  delete(rng, b) {
    const at = rng.int(b.length);
    return Buffer.concat([b.subarray(0, at), b.subarray(at + rng.range(1, 8))]);
  },
  'garbage-tail': (rng, b) => Buffer.concat([b, rng.bytes(rng.range(1, 64))]),
};
const MUTATOR_ENTRIES = Object.entries(MUTATORS);

/** Byte sequences that are not well-formed UTF-8, or are characters MQTT forbids [MQTT-1.5.3]. */
const BAD_UTF8 = [
  [0xc3, 0x28],
  [0xa0, 0xa1],
  [0xe2, 0x28, 0xa1],
  [0xf0, 0x28, 0x8c, 0xbc],
  [0xed, 0xa0, 0x80], // a UTF-16 surrogate
  [0xc0, 0x80], // overlong NUL
  [0x00], // NUL [MQTT-1.5.3-2]
  [0xef, 0xbf, 0xbf], // U+FFFF, a non-character
  [0xff],
];

/** A packet whose string field holds `bad` bytes, written over a same-length placeholder. */
function badUtf8(rng: Rng, t: Target, version: Version): Buffer {
  const bad = Buffer.from(rng.pick(BAD_UTF8));
  const marker = 'Q'.repeat(bad.length + 4);
  const name = `v3/${t.appId}/devices/${marker}/down/push`;
  const packets: Packet[] = [
    { cmd: 'publish', topic: name, payload: '{}', qos: 1, dup: false, retain: false, messageId: 7 },
    { cmd: 'subscribe', messageId: 8, subscriptions: [{ topic: name, qos: 0 }] },
    { cmd: 'unsubscribe', messageId: 9, unsubscriptions: [name] },
  ];
  const out = encode(rng.pick(packets), version);
  const at = out.indexOf(marker) + rng.int(5);
  bad.copy(out, at);
  return out;
}

/** CONNECT on a fresh connection with a bad client ID, username or will topic. */
function badUtf8Connect(rng: Rng, t: Target, version: Version): Buffer {
  const bad = Buffer.from(rng.pick(BAD_UTF8));
  const marker = 'Q'.repeat(bad.length);
  const field = rng.pick(['clientId', 'username', 'will'] as const);
  const p = randomConnect(rng, t, version);
  if (p.cmd !== 'connect') return encode(p, version);
  if (field === 'clientId') p.clientId = `c${marker}`;
  if (field === 'username') p.username = `${t.appId}${marker}`;
  if (field === 'will') p.will = { topic: `w/${marker}`, payload: 'x', qos: 0, retain: false };
  const out = encode(p, version);
  bad.copy(out, out.indexOf(marker));
  return out;
}

/** 65 535 topic levels: the most a 65 535-byte topic can hold. */
function deepTopic(rng: Rng, t: Target, version: Version): Buffer {
  const levels = rng.pick([
    '/'.repeat(65_534),
    `v3/+${'/'.repeat(65_530)}`,
    `v3/${t.appId}/devices/${'+/'.repeat(32_000)}#`,
    `+${'/+'.repeat(32_767)}`,
  ]);
  const packets: Packet[] = [
    {
      cmd: 'publish',
      topic: levels.replace(/[+#]/g, 'a'),
      payload: '{}',
      qos: 1,
      dup: false,
      retain: false,
      messageId: 3,
    },
    { cmd: 'subscribe', messageId: 4, subscriptions: [{ topic: levels, qos: 1 }] },
    { cmd: 'unsubscribe', messageId: 5, unsubscriptions: [levels] },
  ];
  return encode(rng.pick(packets), version);
}

const zeroFilters = (version: Version, cmd: 0x82 | 0xa2) =>
  version === 5 ? Buffer.from([cmd, 3, 0x12, 0x34, 0]) : Buffer.from([cmd, 2, 0x12, 0x34]);

/** Larger than the server's 256 KB packet limit. */
const OVERSIZED = Buffer.alloc(300_000, 0x20);

/** Hand-made wrong cases: name → (bytes, sent after CONNECT?). */
const STRUCTURAL: Record<string, (rng: Rng, t: Target, v: Version) => [Buffer, boolean]> = {
  'invalid-utf8': (rng, t, v) => [badUtf8(rng, t, v), true],
  'invalid-utf8-connect': (rng, t, v) => [badUtf8Connect(rng, t, v), false],
  'connect-twice': (rng, t, v) => [encode(randomConnect(rng, t, v), v), true],
  'before-connect': (rng, t, v) => [encode(validPacket(rng, t, v), v), false],
  'subscribe-0-filters': (_rng, _t, v) => [zeroFilters(v, 0x82), true],
  'unsubscribe-0-filters': (_rng, _t, v) => [zeroFilters(v, 0xa2), true],
  'deep-topic': (rng, t, v) => [deepTopic(rng, t, v), true],
  'packet-id-0': (rng, t, v) => {
    const p = encode(
      {
        cmd: 'publish',
        topic: `v3/${t.appId}/devices/${t.deviceId}/down/push`,
        payload: '{}',
        qos: 1,
        dup: false,
        retain: false,
        messageId: 1,
      },
      v,
    );
    const at = p.indexOf('/down/push') + '/down/push'.length;
    p.writeUInt16BE(0, at);
    return [rng.chance(0.5) ? p : Buffer.from([0x82, 6, 0, 0, 0, 1, 0x23, 0]), true];
  },
  oversized: (_rng, t, v) => [
    encode(
      {
        cmd: 'publish',
        topic: `v3/${t.appId}/devices/${t.deviceId}/down/push`,
        payload: OVERSIZED,
        qos: 0,
        dup: false,
        retain: false,
      },
      v,
    ),
    true,
  ],
  'qos2-no-pubrel': (rng, _t, v) => {
    const n = rng.pick([10, 1_001]);
    const parts = Array.from({ length: n }, (_, i) =>
      encode(
        {
          cmd: 'publish',
          topic: 'v3/nowhere',
          payload: 'x',
          qos: 2,
          dup: false,
          retain: false,
          messageId: i + 1,
        },
        v,
      ),
    );
    return [Buffer.concat(parts), true];
  },
  'many-filters': (_rng, t, v) => [
    encode(
      {
        cmd: 'subscribe',
        messageId: 2,
        subscriptions: Array.from({ length: 150 }, (_, i) => ({
          topic: `v3/${t.appId}/devices/d${i}/up`,
          qos: 1 as const,
        })),
      },
      v,
    ),
    true,
  ],
  'pipelined-mix'(rng, t, v) {
    const parts = Array.from({ length: rng.range(2, 6) }, () => encode(validPacket(rng, t, v), v));
    const i = rng.int(parts.length);
    const [, mutate] = rng.pick(MUTATOR_ENTRIES);
    return [Buffer.concat(parts.map((part, k) => (k === i ? mutate(rng, part) : part))), true];
  },
};
/** Relative weights: the costly ones (65 KB and 300 KB packets) are rarer. */
const WEIGHTS: Record<string, number> = {
  'deep-topic': 0.3,
  oversized: 0.1,
  'qos2-no-pubrel': 0.3,
  'many-filters': 0.5,
};
/** Each structural case, as often as its weight says. */
const STRUCTURAL_PICKS = Object.entries(STRUCTURAL).flatMap((entry) =>
  Array.from({ length: Math.round((WEIGHTS[entry[0]] ?? 1) * 10) }, () => entry),
);

export function generateCase(rng: Rng, t: Target, index: number): FuzzCase {
  const version: Version = rng.chance(0.3) ? 5 : rng.chance(0.07) ? 3 : 4;
  const roll = rng.next();
  if (roll < 0.04)
    return {
      index,
      kind: 'valid',
      version,
      afterConnect: true,
      bytes: encode(validPacket(rng, t, version), version),
    };
  if (roll < 0.3) {
    const [name, make] = rng.pick(STRUCTURAL_PICKS);
    const [bytes, afterConnect] = make(rng, t, version);
    return { index, kind: name, version, afterConnect, bytes };
  }
  const [name, mutate] = rng.pick(MUTATOR_ENTRIES);
  // About one in six mutates the opening CONNECT of a fresh connection.
  const opening = rng.chance(0.17);
  const base = encode(opening ? randomConnect(rng, t, version) : validPacket(rng, t, version), version);
  return {
    index,
    kind: `${opening ? 'connect-' : ''}${name}`,
    version,
    afterConnect: !opening,
    bytes: mutate(rng, base),
  };
}
