import { describe, expect, it } from 'vitest';
import { buildDataDown, buildDataUp, parseDataDown, parseDataUp } from './data';
import { encodeMacCommands } from './macCommands';

const hex = (s: string) => Buffer.from(s, 'hex');
const upper = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();
const REF = { nwkSKey: 'BCD4253A0FDA89D9F1A805230B6F9C17', appSKey: 'B0D9746F7237FCCDDC0DED09F6B43D23' };

/**
 * Published frames: lorawan-radio.md (checked against lora-packet 0.9.3), brocaar/lorawan's
 * phypayload_test.go, and lora-packet's README example.
 */
const UPLINKS = [
  {
    source: 'lorawan-radio.md, FCnt 1',
    keys: REF,
    message: { devAddr: '260B1234', fCnt: 1, fPort: 5, frmPayload: Buffer.from('hello') },
    lastFCnt: 0,
    phy: '4034120B260001000536CCB91C6D25430D0A',
  },
  {
    source: 'lorawan-radio.md, FCnt 0x10001 (0x0001 on air)',
    keys: REF,
    message: { devAddr: '260B1234', fCnt: 0x10001, fPort: 5, frmPayload: Buffer.from('hello') },
    lastFCnt: 0xfffe,
    phy: '4034120B260001000586B83D220AF83B3346',
  },
  {
    source: 'brocaar/lorawan TestPHYPayloadData',
    keys: { nwkSKey: '02'.repeat(16), appSKey: '01'.repeat(16) },
    message: {
      devAddr: '01020304',
      fCnt: 1,
      fCtrl: { adr: true },
      fPort: 1,
      frmPayload: Buffer.from('hello'),
    },
    lastFCnt: undefined,
    phy: '400403020180010001A694642615D6C3B582',
  },
  {
    source: 'brocaar/lorawan ExampleNewPHYPayload (confirmed)',
    keys: { nwkSKey: '0102030405060708090A0B0C0D0E0F10', appSKey: '100F0E0D0C0B0A090807060504030201' },
    message: { devAddr: '01020304', fCnt: 0, confirmed: true, fPort: 10, frmPayload: hex('01020304') },
    lastFCnt: undefined,
    phy: '80040302010000000AE264D4F7B56A0E75',
  },
  {
    source: 'lora-packet README',
    keys: { nwkSKey: '44024241ED4CE9A68C6A8BC055233FD3', appSKey: 'EC925802AE430CA77FD3DD73CB2CC588' },
    message: { devAddr: '49BE7DF1', fCnt: 2, fPort: 1, frmPayload: Buffer.from('test') },
    lastFCnt: 1,
    phy: '40F17DBE4900020001954378762B11FF0D',
  },
];

describe('data uplinks', () => {
  it.each(UPLINKS)('$source: builds and parses', ({ keys, message, lastFCnt, phy }) => {
    expect(upper(buildDataUp(message, keys))).toBe(phy);
    const parsed = parseDataUp(hex(phy), { ...keys, lastFCnt });
    expect(parsed).toMatchObject({
      ok: true,
      value: { ...message, confirmed: message.confirmed ?? false, duplicate: false },
    });
  });

  it('refuses a frame signed with another NwkSKey', () => {
    const [v] = UPLINKS;
    const result = parseDataUp(hex(v!.phy), { ...v!.keys, nwkSKey: v!.keys.appSKey, lastFCnt: 0 });
    expect(result).toMatchObject({ ok: false, error: { name: 'mic_mismatch' } });
  });

  it.each([
    { lastFCnt: 1, expected: { ok: true, value: { fCnt: 1, duplicate: true } } },
    { lastFCnt: 2, expected: { ok: false, error: { name: 'fcnt_replay' } } },
    { lastFCnt: 0x1_0005, expected: { ok: false, error: { name: 'fcnt_replay' } } },
    { lastFCnt: undefined, expected: { ok: true, value: { fCnt: 1, lost: 1 } } },
  ])('FCnt 1 after $lastFCnt', ({ lastFCnt, expected }) => {
    expect(parseDataUp(hex(UPLINKS[0]!.phy), { ...REF, lastFCnt })).toMatchObject(expected);
  });

  it('a downlink is not an uplink', () => {
    expect(parseDataUp(hex(DOWNLINK.phy), { ...REF })).toMatchObject({
      ok: false,
      error: { name: 'unexpected_mtype' },
    });
  });

  it('reads MAC commands from FOpts, and from FRMPayload on FPort 0 (NwkSKey)', () => {
    const commands = encodeMacCommands([{ name: 'LinkCheckReq' }, { name: 'DeviceTimeReq' }], 'up');
    const expected = { commands: [{ name: 'LinkCheckReq' }, { name: 'DeviceTimeReq' }] };
    const inFOpts = buildDataUp({ devAddr: '260B1234', fCnt: 7, fOpts: commands }, REF);
    expect(parseDataUp(inFOpts, { ...REF, lastFCnt: 6 })).toMatchObject({
      ok: true,
      value: { macCommands: expected },
    });
    const inPayload = buildDataUp({ devAddr: '260B1234', fCnt: 8, fPort: 0, frmPayload: commands }, REF);
    const parsed = parseDataUp(inPayload, { nwkSKey: REF.nwkSKey, appSKey: '00'.repeat(16), lastFCnt: 7 });
    expect(parsed).toMatchObject({
      ok: true,
      value: { fPort: 0, frmPayload: commands, macCommands: expected },
    });
  });
});

const DOWNLINK = {
  source: 'lorawan-radio.md, ACK, FCntDown 0',
  message: { devAddr: '260B1234', fCnt: 0, fCtrl: { ack: true }, fPort: 15, frmPayload: hex('BEEF') },
  phy: '6034120B262000000F4C8037B34314',
};

describe('data downlinks', () => {
  it(`${DOWNLINK.source}: builds and parses`, () => {
    expect(upper(buildDataDown(DOWNLINK.message, REF))).toBe(DOWNLINK.phy);
    expect(parseDataDown(hex(DOWNLINK.phy), REF)).toMatchObject({
      ok: true,
      value: { ...DOWNLINK.message, fCtrl: { ack: true, fPending: false, adr: false }, confirmed: false },
    });
  });

  it('uses the downlink direction in the MIC: the same fields as an uplink do not verify', () => {
    const up = buildDataUp(DOWNLINK.message, REF);
    const asDown = Buffer.from(up);
    asDown[0] = 0x60;
    expect(parseDataDown(asDown, REF)).toMatchObject({ ok: false, error: { name: 'mic_mismatch' } });
  });

  it('sets FPending and confirmed', () => {
    const phy = buildDataDown(
      { devAddr: '260B1234', fCnt: 3, confirmed: true, fCtrl: { fPending: true } },
      REF,
    );
    expect(upper(phy.subarray(0, 6))).toBe('A034120B2610');
    expect(parseDataDown(phy, { ...REF, lastFCnt: 2 })).toMatchObject({
      ok: true,
      value: { confirmed: true, fCtrl: { fPending: true }, frmPayload: Buffer.alloc(0) },
    });
  });
});
