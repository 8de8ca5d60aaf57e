import { describe, expect, it } from 'vitest';
import { seededRng } from '../../../test/helpers/prng';
import { decodePhyPayload } from './phypayload';

const hex = (s: string) => Buffer.from(s, 'hex');

describe('decodePhyPayload', () => {
  it.each([
    { name: 'nothing', bytes: '', error: 'phy_payload_too_short' },
    { name: 'more than a LoRa packet', bytes: '40'.repeat(256), error: 'phy_payload_too_long' },
    { name: 'Major 01', bytes: `41${'00'.repeat(11)}`, error: 'invalid_major' },
    { name: 'MType 110 (RFU)', bytes: `C0${'00'.repeat(22)}`, error: 'invalid_mtype' },
    { name: 'MType 111 (proprietary)', bytes: `E0${'00'.repeat(11)}`, error: 'proprietary_mtype' },
    { name: 'a short JoinRequest', bytes: `00${'00'.repeat(21)}`, error: 'phy_payload_too_short' },
    { name: 'a long JoinRequest', bytes: `00${'00'.repeat(23)}`, error: 'phy_payload_too_long' },
    { name: 'a short JoinAccept', bytes: `20${'00'.repeat(15)}`, error: 'phy_payload_too_short' },
    {
      name: 'a JoinAccept between sizes',
      bytes: `20${'00'.repeat(20)}`,
      error: 'invalid_join_accept_length',
    },
    { name: 'a long JoinAccept', bytes: `20${'00'.repeat(33)}`, error: 'phy_payload_too_long' },
    { name: 'a data frame without MIC', bytes: '4034120B26000100', error: 'phy_payload_too_short' },
    { name: 'FOptsLen past the MIC', bytes: '4034120B2601010001020304', error: 'fopts_length' },
    {
      name: 'FOpts with FPort 0',
      bytes: '4034120B2601010002' + '00' + '01020304',
      error: 'fopts_with_fport_zero',
    },
  ])('refuses $name with $error', ({ bytes, error }) => {
    expect(decodePhyPayload(hex(bytes))).toMatchObject({ ok: false, error: { name: error } });
  });

  it('reads a JoinRequest (lorawan-radio.md), EUIs most significant byte first', () => {
    expect(decodePhyPayload(hex('00000000D07ED5B370341200D07ED5B3703412D2133546'))).toMatchObject({
      ok: true,
      value: {
        mType: 'join_request',
        joinEui: '70B3D57ED0000000',
        devEui: '70B3D57ED0001234',
        devNonce: 0x1234,
      },
    });
  });

  it('reads every FHDR field of an uplink, ignoring the RFU bits of MHDR', () => {
    const frame = decodePhyPayload(
      hex('9C' + '34120B26' + 'F2' + '3412' + '020D' + '07' + 'AABB' + '01020304'),
    );
    expect(frame).toEqual({
      ok: true,
      value: {
        mType: 'confirmed_up',
        devAddr: '260B1234',
        fCtrl: { adr: true, adrAckReq: true, ack: true, classB: true, fPending: false },
        fCnt16: 0x1234,
        fOpts: hex('020D'),
        fPort: 7,
        frmPayload: hex('AABB'),
        signed: hex('9C34120B26F23412020D07AABB'),
        mic: hex('01020304'),
      },
    });
  });

  it('reads bit 4 as FPending downlink, and a frame with FPort but no payload', () => {
    const frame = decodePhyPayload(hex('60' + '34120B26' + '30' + '0000' + '01' + '01020304'));
    expect(frame).toMatchObject({
      ok: true,
      value: {
        fCtrl: { ack: true, fPending: true, classB: false, adrAckReq: false },
        fPort: 1,
        frmPayload: hex(''),
      },
    });
  });

  it('reads a frame with neither FPort nor payload', () => {
    const frame = decodePhyPayload(hex('40' + '34120B26' + '00' + '0000' + '01020304'));
    expect(frame.ok && frame.value.mType !== 'join_accept' && 'fPort' in frame.value).toBe(false);
  });

  it('keeps no reference to the input buffer', () => {
    const bytes = hex('4034120B260001000536CCB91C6D25430D0A');
    const frame = decodePhyPayload(bytes);
    bytes.fill(0);
    expect(frame).toMatchObject({ ok: true, value: { devAddr: '260B1234', frmPayload: hex('36CCB91C6D') } });
  });

  it('never throws on random or mutated bytes', () => {
    const rng = seededRng(0x10_2a_0a_ce);
    const valid = hex('4034120B260001000536CCB91C6D25430D0A');
    const names = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      let bytes: Buffer;
      if (rng.chance(0.5)) {
        bytes = rng.bytes(rng.int(300));
      } else {
        bytes = Buffer.from(valid.subarray(0, rng.int(valid.length + 1)));
        for (let k = rng.int(4); k > 0 && bytes.length > 0; k--) bytes[rng.int(bytes.length)] = rng.int(256);
      }
      const result = decodePhyPayload(bytes);
      names.add(result.ok ? result.value.mType : result.error.name);
    }
    expect(names.size).toBeGreaterThan(8);
  });
});
