import { describe, expect, it } from 'vitest';
import { deriveSessionKeys } from './crypto';
import { buildJoinAccept, buildJoinRequest, parseJoinAccept, parseJoinRequest } from './join';

const hex = (s: string) => Buffer.from(s, 'hex');
const upper = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();
const REF_KEY = '00112233445566778899AABBCCDDEEFF';
const KEY_1_16 = '0102030405060708090A0B0C0D0E0F10';

/**
 * Published vectors: docs' lorawan-radio.md (computed and checked against lora-packet 0.9.3) and
 * brocaar/lorawan's phypayload_test.go (ChirpStack's library, whose arrays are written most
 * significant byte first, as Mote writes identifiers).
 */
const JOIN_REQUESTS = [
  {
    source: 'lorawan-radio.md',
    appKey: REF_KEY,
    request: { joinEui: '70B3D57ED0000000', devEui: '70B3D57ED0001234', devNonce: 0x1234 },
    phy: '00000000D07ED5B370341200D07ED5B3703412D2133546',
  },
  {
    source: 'brocaar/lorawan ExampleNewPHYPayload_joinRequest',
    appKey: KEY_1_16,
    request: { joinEui: '0101010101010101', devEui: '0202020202020202', devNonce: 0x0303 },
    phy: '0001010101010101010202020202020202030309B97B32',
  },
  {
    source: 'brocaar/lorawan TestPHYPayloadJoinRequest',
    appKey: '01010101010101010101010101010101',
    request: { joinEui: '0102030401020304', devEui: '0203040502030405', devNonce: 0x102d },
    phy: '00040302010403020105040302050403022D106A990E12',
  },
];

const JOIN_ACCEPTS = [
  {
    source: 'lorawan-radio.md',
    appKey: REF_KEY,
    accept: {
      appNonce: 0x123456,
      netId: '000013',
      devAddr: '260B1234',
      rx1DrOffset: 0,
      rx2DataRate: 0,
      rxDelay: 1,
    },
    phy: '20FA32342168E9F0DD4A8754A05C9FB69B',
  },
  {
    source: 'brocaar/lorawan ExampleNewPHYPayload_joinAcceptSend',
    appKey: KEY_1_16,
    accept: {
      appNonce: 0x010101,
      netId: '020202',
      devAddr: '01020304',
      rx1DrOffset: 0,
      rx2DataRate: 0,
      rxDelay: 0,
    },
    phy: '2023CF335489AAE3183C0BE0BAA8DEE5F3',
  },
  {
    source: 'brocaar/lorawan TestPHYPayloadJoinAccept',
    appKey: REF_KEY,
    accept: {
      appNonce: 0x570bc7,
      netId: '221101',
      devAddr: '02031980',
      rx1DrOffset: 0,
      rx2DataRate: 0,
      rxDelay: 0,
    },
    phy: '20493EEB51FBA2116F810EDB3742975142',
  },
];

describe('JoinRequest', () => {
  it.each(JOIN_REQUESTS)('$source: builds and parses', ({ appKey, request, phy }) => {
    expect(upper(buildJoinRequest({ ...request, appKey }))).toBe(phy);
    expect(parseJoinRequest(hex(phy), appKey)).toEqual({ ok: true, value: request });
  });

  it('refuses a MIC under another AppKey, a changed byte and another frame type', () => {
    const [v] = JOIN_REQUESTS;
    const phy = hex(v!.phy);
    expect(parseJoinRequest(phy, KEY_1_16)).toMatchObject({ ok: false, error: { name: 'mic_mismatch' } });
    const changed = Buffer.from(phy);
    changed[17]! ^= 1;
    expect(parseJoinRequest(changed, v!.appKey)).toMatchObject({
      ok: false,
      error: { name: 'mic_mismatch' },
    });
    const accept = hex(JOIN_ACCEPTS[0]!.phy);
    expect(parseJoinRequest(accept, v!.appKey)).toMatchObject({
      ok: false,
      error: { name: 'unexpected_mtype' },
    });
  });
});

describe('JoinAccept', () => {
  it.each(JOIN_ACCEPTS)('$source: builds and parses', ({ appKey, accept, phy }) => {
    expect(upper(buildJoinAccept({ ...accept, appKey }))).toBe(phy);
    expect(parseJoinAccept(hex(phy), appKey)).toEqual({ ok: true, value: accept });
  });

  it('carries DLSettings, RxDelay and a CFList both ways', () => {
    const cfList = hex('184F84E85684B85E84886684586E8400');
    const accept = {
      appNonce: 1,
      netId: '000013',
      devAddr: '26000001',
      rx1DrOffset: 5,
      rx2DataRate: 3,
      rxDelay: 5,
      cfList,
    };
    const phy = buildJoinAccept({ ...accept, appKey: REF_KEY });
    expect(phy).toHaveLength(33);
    expect(parseJoinAccept(phy, REF_KEY)).toEqual({ ok: true, value: accept });
  });

  it('refuses a MIC under another AppKey', () => {
    const phy = hex(JOIN_ACCEPTS[0]!.phy);
    expect(parseJoinAccept(phy, KEY_1_16)).toMatchObject({ ok: false, error: { name: 'mic_mismatch' } });
  });
});

describe('session keys (LoRaWAN 1.0.3 §6.2.5)', () => {
  it('lorawan-radio.md: NwkSKey and AppSKey from the reference join', () => {
    expect(
      deriveSessionKeys({ appKey: REF_KEY, appNonce: 0x123456, netId: '000013', devNonce: 0x1234 }),
    ).toEqual({
      nwkSKey: 'BCD4253A0FDA89D9F1A805230B6F9C17',
      appSKey: 'B0D9746F7237FCCDDC0DED09F6B43D23',
    });
  });
});
