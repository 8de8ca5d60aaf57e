import { describe, expect, it } from 'vitest';
import {
  decodeDownstream,
  decodeUpstream,
  encodeAck,
  encodePullResp,
  encodeUpstream,
  PacketId,
  type UpstreamPacket,
} from './packets';

const EUI = 'AA555A0000000001';
const datagram = (id: number, json?: string, token = 0xabcd) =>
  Buffer.concat([
    Buffer.from([2, token >> 8, token & 0xff, id]),
    Buffer.from(EUI, 'hex'),
    json === undefined ? Buffer.alloc(0) : Buffer.from(json),
  ]);

describe('decodeUpstream', () => {
  it.each([
    [
      'PUSH_DATA',
      datagram(0, '{"rxpk":[{"a":1}],"stat":{"rxnb":1}}'),
      { kind: 'push_data', token: 0xabcd, eui: EUI, body: { rxpk: [{ a: 1 }], stat: { rxnb: 1 } } },
    ],
    [
      'PUSH_DATA with stat only',
      datagram(0, '{"stat":{}}'),
      { kind: 'push_data', eui: EUI, body: { rxpk: [], stat: {} } },
    ],
    ['PULL_DATA', datagram(2), { kind: 'pull_data', token: 0xabcd, eui: EUI }],
    ['TX_ACK without JSON', datagram(5), { kind: 'tx_ack', eui: EUI, error: 'NONE' }],
    ['TX_ACK NONE', datagram(5, '{"txpk_ack":{"error":"NONE"}}'), { kind: 'tx_ack', error: 'NONE' }],
    [
      'TX_ACK TOO_LATE',
      datagram(5, '{"txpk_ack":{"error":"TOO_LATE"}}'),
      { kind: 'tx_ack', error: 'TOO_LATE' },
    ],
    [
      'TX_ACK ending in NUL',
      datagram(5, '{"txpk_ack":{"error":"TOO_EARLY"}}\0'),
      { kind: 'tx_ack', error: 'TOO_EARLY' },
    ],
    [
      'TX_ACK with a warning only',
      datagram(5, '{"txpk_ack":{"warn":"TX_POWER","value":14}}'),
      { kind: 'tx_ack', error: 'NONE' },
    ],
    ['TX_ACK with an empty object', datagram(5, '{}'), { kind: 'tx_ack', error: 'NONE' }],
  ])('%s', (_, bytes, packet) => {
    const decoded = decodeUpstream(bytes);
    expect(decoded.ok).toBe(true);
    expect(decoded.ok && decoded.packet).toMatchObject(packet);
  });

  it.each([
    ['empty', Buffer.alloc(0), 'short_header'],
    ['three bytes', Buffer.from([2, 0, 0]), 'short_header'],
    ['version 1', Buffer.from([1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8]), 'bad_version'],
    ['unknown id', datagram(9), 'unknown_id'],
    ['PULL_RESP upstream', datagram(PacketId.PULL_RESP), 'unknown_id'],
    ['no EUI', Buffer.from([2, 0, 0, 2, 1, 2]), 'short_header'],
    ['PUSH_DATA without JSON', datagram(0), 'bad_json'],
    ['PUSH_DATA bad JSON', datagram(0, '{"rxpk":'), 'bad_json'],
    ['PUSH_DATA JSON array', datagram(0, '[]'), 'bad_json'],
    ['rxpk not an array', datagram(0, '{"rxpk":{}}'), 'bad_rxpk'],
    ['stat not an object', datagram(0, '{"stat":[]}'), 'bad_stat'],
    ['TX_ACK bad JSON', datagram(5, 'nope'), 'bad_json'],
  ])('%s is malformed', (_, bytes, reason) => {
    expect(decodeUpstream(bytes)).toEqual({ ok: false, reason });
  });
});

describe('encoders', () => {
  it('echo the token in PUSH_ACK and PULL_ACK', () => {
    expect(encodeAck(PacketId.PUSH_ACK, 0x0102)).toEqual(Buffer.from([2, 1, 2, 1]));
    expect(encodeAck(PacketId.PULL_ACK, 0xfffe)).toEqual(Buffer.from([2, 0xff, 0xfe, 4]));
  });

  it('put the txpk JSON right after the PULL_RESP header', () => {
    const b = encodePullResp(7, { tmst: 1 });
    expect(b.subarray(0, 4)).toEqual(Buffer.from([2, 0, 7, 3]));
    expect(JSON.parse(b.subarray(4).toString())).toEqual({ txpk: { tmst: 1 } });
  });
});

describe("the client directions (the simulator's virtual gateway)", () => {
  it.each<[string, UpstreamPacket, Buffer]>([
    [
      'PUSH_DATA',
      { kind: 'push_data', token: 0xabcd, eui: EUI, body: { rxpk: [{ a: 1 }] } },
      datagram(0, '{"rxpk":[{"a":1}]}'),
    ],
    ['PULL_DATA', { kind: 'pull_data', token: 0xabcd, eui: EUI }, datagram(2)],
    [
      'TX_ACK',
      { kind: 'tx_ack', token: 0xabcd, eui: EUI, error: 'NONE' },
      datagram(5, '{"txpk_ack":{"error":"NONE"}}'),
    ],
  ])('encodes %s as PROTOCOL.TXT lays it out, and the server decodes it back', (_, packet, bytes) => {
    expect(encodeUpstream(packet)).toEqual(bytes);
    expect(decodeUpstream(encodeUpstream(packet))).toEqual({ ok: true, packet });
  });

  it.each([
    ['PUSH_ACK', encodeAck(PacketId.PUSH_ACK, 9), { kind: 'push_ack', token: 9 }],
    ['PULL_ACK', encodeAck(PacketId.PULL_ACK, 10), { kind: 'pull_ack', token: 10 }],
    ['PULL_RESP', encodePullResp(11, { tmst: 1 }), { kind: 'pull_resp', token: 11, txpk: { tmst: 1 } }],
  ])('decodes %s as the server encodes it', (_, bytes, packet) => {
    expect(decodeDownstream(bytes)).toEqual({ ok: true, packet });
  });

  it.each([
    ['empty', Buffer.alloc(0), 'short_header'],
    ['version 1', Buffer.from([1, 0, 0, 1]), 'bad_version'],
    ['PUSH_DATA downstream', datagram(0, '{}'), 'unknown_id'],
    ['PULL_RESP without txpk', Buffer.concat([Buffer.from([2, 0, 1, 3]), Buffer.from('{}')]), 'bad_txpk'],
    ['PULL_RESP bad JSON', Buffer.concat([Buffer.from([2, 0, 1, 3]), Buffer.from('{')]), 'bad_txpk'],
  ])('%s is malformed', (_, bytes, reason) => {
    expect(decodeDownstream(bytes)).toEqual({ ok: false, reason });
  });
});
