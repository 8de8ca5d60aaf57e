import { describe, expect, it } from 'vitest';
import {
  applicationUpToJson,
  base64ToBytes,
  bytesToBase64,
  readApplicationDownlink,
  readApplicationUp,
  upTypeOf,
  writeApplicationDownlink,
  writeApplicationUp,
} from './index';

/** The three example messages of the seed (seed/mqtt-server.md). */
const ids = {
  device_id: 'dev1',
  application_ids: { application_id: 'app1' },
  dev_eui: '4200000000000000',
  join_eui: '4200000000000000',
  dev_addr: '01DA1F15',
};
const seedJoin = {
  end_device_ids: ids,
  correlation_ids: [
    'gs:conn:01D2CSNX7FJVKQPCVG612QF1TX',
    'gs:uplink:01D2CT834K2YD17ZWZ6357HC0Z',
    'ns:uplink:01D2CT834KNYD7BT2NHK5R1WVA',
    'rpc:/ttn.lorawan.v3.GsNs/HandleUplink:01D2CT834KJ4AVSD1SJ637NAV6',
    'as:up:01D2CT83AXQFQYQ35SR74CTWKH',
  ],
  join_accept: { session_key_id: 'AWiZpAyXrAfEkUNkBljRoA==' },
};
const seedUp = {
  end_device_ids: ids,
  correlation_ids: [
    'gs:conn:01D2CSNX7FJVKQPCVG612QF1TX',
    'gs:uplink:01D2CV8HF62ME0D7MZWE38HHH8',
    'ns:uplink:01D2CV8HF6FYJHKZ45YY1DB3MR',
    'rpc:/ttn.lorawan.v3.GsNs/HandleUplink:01D2CV8HF6XR7ZFVK768PDG3J4',
    'as:up:01D2CV8HNGJ57G25BW0FCZNY07',
  ],
  uplink_message: {
    session_key_id: 'AWiZpAyXrAfEkUNkBljRoA==',
    f_port: 15,
    frm_payload: 'VGVtcGVyYXR1cmUgPSAwLjA=',
    rx_metadata: [
      {
        gateway_ids: { gateway_id: 'eui-0242020000247803', eui: '0242020000247803' },
        time: '2019-01-29T13:02:34.981Z',
        timestamp: 1283325000,
        rssi: -35,
        snr: 5,
        uplink_token: 'CiIKIAoUZXVpLTAyNDIwMjAwMDAyNDc4MDMSCAJCAgAAJHgDEMj49+ME',
      },
    ],
    settings: {
      data_rate: { lora: { bandwidth: 125000, spreading_factor: 7 } },
      data_rate_index: 5,
      coding_rate: '4/6',
      frequency: '868500000',
      gateway_channel_index: 2,
      device_channel_index: 2,
    },
  },
};
const seedAck = {
  end_device_ids: { ...ids, dev_addr: '00E6F42A' },
  correlation_ids: ['my-correlation-id', '...'],
  downlink_ack: {
    session_key_id: 'AWnj0318qrtJ7kbudd8Vmw==',
    f_port: 15,
    f_cnt: 11,
    frm_payload: 'vu8=',
    confirmed: true,
    priority: 'NORMAL',
    correlation_ids: ['my-correlation-id', '...'],
  },
};

describe('proto-JSON round trip of the seed examples', () => {
  it.each([
    ['join', seedJoin, 'join_accept'],
    ['up', seedUp, 'uplink_message'],
    ['down/ack', seedAck, 'downlink_ack'],
  ])('%s', (_, example, type) => {
    const up = readApplicationUp(JSON.parse(JSON.stringify(example)));
    expect(upTypeOf(up)).toBe(type);
    expect(JSON.parse(writeApplicationUp(up))).toEqual(example);
  });

  it('reads typed values: bytes, 64-bit numbers, enum names', () => {
    const up = readApplicationUp(seedUp);
    if (!up.uplink_message) throw new Error('no uplink');
    expect(new TextDecoder().decode(up.uplink_message.frm_payload)).toBe('Temperature = 0.0');
    expect(up.uplink_message.settings?.frequency).toBe(868500000);
  });
});

describe('writer', () => {
  it('omits zero values and writes 64-bit as strings, EUIs upper case', () => {
    const json = applicationUpToJson({
      end_device_ids: {
        device_id: 'd',
        application_ids: { application_id: 'a' },
        dev_eui: 'abcdef0102030405',
      },
      correlation_ids: [],
      uplink_message: {
        f_port: 1,
        f_cnt: 0,
        frm_payload: new Uint8Array(),
        confirmed: false,
        settings: { frequency: 868100000, data_rate: { lora: { bandwidth: 125000, spreading_factor: 7 } } },
      },
    });
    expect(json).toEqual({
      end_device_ids: {
        device_id: 'd',
        application_ids: { application_id: 'a' },
        dev_eui: 'ABCDEF0102030405',
      },
      uplink_message: {
        f_port: 1,
        settings: { data_rate: { lora: { bandwidth: 125000, spreading_factor: 7 } }, frequency: '868100000' },
      },
    });
  });

  it('omits priority LOWEST and simulated false', () => {
    const text = writeApplicationDownlink({
      f_port: 1,
      priority: 'LOWEST',
      frm_payload: new Uint8Array([1]),
    });
    expect(JSON.parse(text)).toEqual({ f_port: 1, frm_payload: 'AQ==' });
  });
});

describe('reader', () => {
  it('accepts lowerCamelCase, enum numbers, numeric strings, and ignores unknown fields', () => {
    const d = readApplicationDownlink({
      fPort: '15',
      frmPayload: 'vu8=',
      priority: 3,
      confirmedRetry: { maxAttempts: 4 },
      x: 1,
    });
    expect(d).toEqual({
      f_port: 15,
      frm_payload: new Uint8Array([0xbe, 0xef]),
      priority: 'NORMAL',
      confirmed_retry: { max_attempts: 4 },
    });
  });

  it.each([
    [{ f_port: 'x' }, 'downlink.f_port'],
    [{ frm_payload: '!!' }, 'downlink.frm_payload'],
    [{ priority: 'URGENT' }, 'downlink.priority'],
    [{ correlation_ids: [1] }, 'downlink.correlation_ids.0'],
  ])('names the field of %j', (input, field) => {
    expect(() => readApplicationDownlink(input)).toThrow(expect.objectContaining({ attributes: { field } }));
  });

  it('requires exactly one body', () => {
    expect(() => readApplicationUp({ end_device_ids: ids })).toThrow(/exactly one body/);
  });

  it('normalizes time offsets to Z and keeps nanoseconds', () => {
    const up = readApplicationUp({ ...seedJoin, received_at: '2020-01-01T01:00:00.123456789Z' });
    expect(up.received_at).toBe('2020-01-01T01:00:00.123456789Z');
    expect(readApplicationUp({ ...seedJoin, received_at: '2020-01-01T01:00:00+01:00' }).received_at).toBe(
      '2020-01-01T00:00:00.000Z',
    );
  });
});

describe('base64', () => {
  it('round trips all byte values and rejects junk', () => {
    const all = new Uint8Array(256).map((_, i) => i);
    expect(base64ToBytes(bytesToBase64(all))).toEqual(all);
    expect(base64ToBytes('vu8')).toEqual(new Uint8Array([0xbe, 0xef]));
    expect(base64ToBytes('v$8=')).toBeUndefined();
    expect(base64ToBytes('v')).toBeUndefined();
  });
});

describe('bytesToBase64', () => {
  it('matches the platform encoder for every length and byte value', () => {
    for (let len = 0; len < 70; len++) {
      const bytes = Uint8Array.from({ length: len }, (_, i) => (i * 97 + len * 13) & 255);
      expect(bytesToBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    }
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(bytesToBase64(all)).toBe(Buffer.from(all).toString('base64'));
    expect(base64ToBytes(bytesToBase64(all))).toEqual(all);
  });
});
