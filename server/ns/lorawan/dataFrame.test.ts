import { describe, expect, it } from 'vitest';
import { type DataFrameFields, encodeDataMessage } from './dataFrame';

const upper = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();
const BASE: DataFrameFields = { mType: 'unconfirmed_up', devAddr: '260B1234', fCnt: 0x1_0203 };

describe('encodeDataMessage (LoRaWAN 1.0.3 §4.3)', () => {
  it.each<{ name: string; fields: Partial<DataFrameFields>; bytes: string }>([
    { name: 'no FPort, no payload', fields: {}, bytes: '40' + '34120B26' + '00' + '0302' },
    {
      name: 'uplink FCtrl bits and FOpts',
      fields: { fCtrl: { adr: true, adrAckReq: true, ack: true, classB: true }, fOpts: Buffer.of(2) },
      bytes: '40' + '34120B26' + 'F1' + '0302' + '02',
    },
    {
      name: 'downlink FPending, confirmed, FPort with empty payload',
      fields: { mType: 'confirmed_down', fCtrl: { fPending: true }, fPort: 1 },
      bytes: 'A0' + '34120B26' + '10' + '0302' + '01',
    },
    {
      name: 'FPort 0 with a payload',
      fields: { fPort: 0, frmPayload: Buffer.of(0xaa) },
      bytes: '40' + '34120B26' + '00' + '0302' + '00' + 'AA',
    },
  ])('$name', ({ fields, bytes }) => {
    expect(upper(encodeDataMessage({ ...BASE, ...fields }))).toBe(bytes);
  });

  it.each<[string, Partial<DataFrameFields>]>([
    ['16 bytes of FOpts', { fOpts: new Uint8Array(16) }],
    ['a payload without FPort', { frmPayload: Buffer.of(1) }],
    ['FOpts with FPort 0', { fPort: 0, fOpts: Buffer.of(2) }],
    ['FPort 256', { fPort: 256 }],
    ['a frame over 255 bytes', { fPort: 1, frmPayload: new Uint8Array(243) }],
    ['FPending uplink', { fCtrl: { fPending: true } }],
    ['ClassB downlink', { mType: 'unconfirmed_down', fCtrl: { classB: true } }],
    ['an FCnt past 32 bits', { fCnt: 2 ** 32 }],
    ['a DevAddr of 5 bytes', { devAddr: '260B123400' }],
  ])('refuses %s', (_name, fields) => {
    expect(() => encodeDataMessage({ ...BASE, ...fields })).toThrow(RangeError);
  });

  it('fits the largest frame: 15 bytes of FOpts and 227 of payload', () => {
    const frame = encodeDataMessage({
      ...BASE,
      fOpts: new Uint8Array(15),
      fPort: 1,
      frmPayload: new Uint8Array(227),
    });
    expect(frame.length + 4).toBe(255);
  });
});
