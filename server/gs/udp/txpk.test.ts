import { describe, expect, it } from 'vitest';
import type { TxRequest } from '../../ns/ports';
import { toTxpk } from './txpk';

const request = (r: Partial<TxRequest>): TxRequest => ({
  phyPayload: Buffer.from('20FA32342168E9F0DD4A8754A05C9FB69B', 'hex'),
  window: 'rx2',
  delay: 6,
  frequency: 869_525_000,
  dataRateIndex: 0,
  modulation: { spreadingFactor: 12, bandwidth: 125_000 },
  codingRate: '4/5',
  power: 27,
  gateway: { gateway_id: 'gw', eui: '0000000000000001' },
  timestamp: 6_000_000,
  ...r,
});

describe('toTxpk', () => {
  it('sends EU868 RX2 as the forwarder expects it', () => {
    expect(toTxpk(request({}))).toEqual({
      imme: false,
      tmst: 6_000_000,
      freq: 869.525,
      rfch: 0,
      powe: 27,
      modu: 'LORA',
      datr: 'SF12BW125',
      codr: '4/5',
      ipol: true,
      size: 17,
      data: 'IPoyNCFo6fDdSodUoFyftps=',
      ncrc: true,
    });
  });

  it('sends US915 RX2 at 500 kHz and rounds the power down', () => {
    const txpk = toTxpk(
      request({
        frequency: 923_300_000,
        modulation: { spreadingFactor: 12, bandwidth: 500_000 },
        power: 26.5,
      }),
    );
    expect(txpk).toMatchObject({ freq: 923.3, datr: 'SF12BW500', powe: 26 });
  });

  it('keeps the timestamp within 32 bits', () => {
    expect(toTxpk(request({ timestamp: 2 ** 32 + 5 })).tmst).toBe(5);
  });

  it('sends FSK without polarity inversion', () => {
    expect(toTxpk(request({ modulation: { bitRate: 50_000 } }))).toMatchObject({
      modu: 'FSK',
      datr: 50_000,
      fdev: 25_000,
      ipol: false,
    });
  });
});
