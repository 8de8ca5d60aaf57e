import { describe, expect, it } from 'vitest';
import { airtime, DATA_FRAME_OVERHEAD, fskAirtime, loraAirtime, protoDuration } from './airtime';

const lora = (spreadingFactor: number, bandwidth = 125_000) => ({ spreadingFactor, bandwidth });
/** Microseconds, exact for every LoRaWAN modulation (Tsym is a whole number of µs). */
const us = (seconds: number) => Math.round(seconds * 1e6);

describe('loraAirtime', () => {
  it('matches TTS’s pkg/toa tests (a 10-byte PHYPayload, CRC on, 4/5 unless said)', () => {
    // lorawan-stack pkg/toa/toa_test.go: TestDifferentLoRaSFs, …BWs, …CRs.
    const table: [number, number, '4/5' | '4/6' | '4/7' | '4/8', number][] = [
      [7, 125_000, '4/5', 41_216],
      [8, 125_000, '4/5', 72_192],
      [9, 125_000, '4/5', 144_384],
      [10, 125_000, '4/5', 288_768],
      [11, 125_000, '4/5', 577_536],
      [12, 125_000, '4/5', 991_232],
      [7, 250_000, '4/5', 20_608],
      [7, 500_000, '4/5', 10_304],
      [7, 125_000, '4/6', 45_312],
      [7, 125_000, '4/7', 49_408],
      [7, 125_000, '4/8', 53_504],
    ];
    for (const [sf, bw, codingRate, expected] of table)
      expect(us(loraAirtime(10, lora(sf, bw), { codingRate })), `SF${sf}BW${bw / 1000} ${codingRate}`).toBe(
        expected,
      );
    // TestDifferentLoRaPayloadSizes, SF7BW125: payload symbols step every 3–4 bytes.
    for (const [bytes, expected] of [
      [13, 46_336],
      [15, 46_336],
      [16, 51_456],
      [19, 51_456],
    ] as const)
      expect(us(loraAirtime(bytes, lora(7)))).toBe(expected);
  });

  it('matches the worked example of the AN1200.13 airtime spreadsheet (SF9BW125, 13 bytes)', () => {
    // docs.google.com/spreadsheets/d/1voGAtQAjC1qBmaVuP1ApNKs1ekgUjavHuVQIXyYSvNc: Tsym 4.096 ms,
    // Tpreamble 50.176 ms, payloadSymbNb 28, Tpacket 164.864 ms.
    expect(us(loraAirtime(13, lora(9)))).toBe(164_864);
  });

  it('gives the airtimes of 10 and 51 application bytes at SF7 and SF12, worked by hand', () => {
    // PHYPayload = 13 + N. SF7: Tsym 1.024 ms; SF12: Tsym 32.768 ms with DE = 1.
    //  23 B, SF7:  ceil((184 − 28 + 44) / 28) = 8 → 8 + 40 = 48 symbols + 12.25 → 61.696 ms
    //  23 B, SF12: ceil((184 − 48 + 44) / 40) = 5 → 8 + 25 = 33 symbols + 12.25 → 1482.752 ms
    //  64 B, SF7:  ceil((512 − 28 + 44) / 28) = 19 → 103 symbols + 12.25 → 118.016 ms
    //  64 B, SF12: ceil((512 − 48 + 44) / 40) = 13 → 73 symbols + 12.25 → 2793.472 ms
    expect(us(loraAirtime(DATA_FRAME_OVERHEAD + 10, lora(7)))).toBe(61_696);
    expect(us(loraAirtime(DATA_FRAME_OVERHEAD + 10, lora(12)))).toBe(1_482_752);
    expect(us(loraAirtime(DATA_FRAME_OVERHEAD + 51, lora(7)))).toBe(118_016);
    expect(us(loraAirtime(DATA_FRAME_OVERHEAD + 51, lora(12)))).toBe(2_793_472);
  });

  it('leaves the CRC out of downlinks', () => {
    // 10 B, SF7, no CRC: ceil((80 − 28 + 28) / 28) = 3 → 23 symbols + 12.25 → 36.096 ms (41.216 with it).
    expect(us(loraAirtime(10, lora(7), { direction: 'downlink' }))).toBe(36_096);
    // 12 B: 16 bits more still fit the same symbols.
    expect(loraAirtime(12, lora(7), { direction: 'downlink' })).toBe(loraAirtime(12, lora(7)));
  });

  it('optimises for low data rate exactly when a symbol lasts more than 16 ms', () => {
    // SF12BW500, Tsym 8.192 ms, DE = 0: ceil((240 − 48 + 44) / 48) = 5 → 33 symbols → 370.688 ms.
    expect(us(loraAirtime(30, lora(12, 500_000)))).toBe(370_688);
    // SF12BW250, Tsym 16.384 ms, DE = 1: ceil(236 / 40) = 6 → 38 symbols → 823.296 ms. (TTS turns
    // DE on only at 125 kHz and would give 33 symbols; no LoRaWAN plan here uses SF12BW250.)
    expect(us(loraAirtime(30, lora(12, 250_000)))).toBe(823_296);
  });
});

describe('consumed_airtime', () => {
  it('is "0.056576s", the figure of docs/behaviour.md §4 and the bench payload, for 8 bytes at SF7BW125', () => {
    // 21-byte PHYPayload: ceil((168 − 28 + 44) / 28) = 7 → 43 symbols + 12.25 = 55.25 × 1.024 ms.
    // 7 and 9 bytes give the same; the seed's own uplink does not show a consumed_airtime.
    for (const n of [7, 8, 9])
      expect(protoDuration(loraAirtime(DATA_FRAME_OVERHEAD + n, lora(7)))).toBe('0.056576s');
  });

  it('is "0.071936s" for the seed’s 17-byte uplink at SF7BW125 4/5 ("0.082176s" at the 4/6 it shows)', () => {
    expect(protoDuration(loraAirtime(DATA_FRAME_OVERHEAD + 17, lora(7)))).toBe('0.071936s');
    expect(protoDuration(loraAirtime(DATA_FRAME_OVERHEAD + 17, lora(7), { codingRate: '4/6' }))).toBe(
      '0.082176s',
    );
  });
});

describe('fskAirtime', () => {
  it('matches TTS’s pkg/toa TestFSK: 200 bytes at 50 kbit/s take 33.76 ms', () => {
    expect(us(fskAirtime(200, { bitRate: 50_000 }))).toBe(33_760);
    expect(airtime(200, { bitRate: 50_000 })).toBe(fskAirtime(200, { bitRate: 50_000 }));
  });
});

describe('protoDuration', () => {
  it('writes 0, 3, 6 or 9 fractional digits as protojson does', () => {
    expect(protoDuration(0.041216)).toBe('0.041216s');
    expect(protoDuration(1.5)).toBe('1.500s');
    expect(protoDuration(2)).toBe('2s');
    expect(protoDuration(0)).toBe('0s');
    expect(protoDuration(1e-9)).toBe('0.000000001s');
    expect(protoDuration(2.793472)).toBe('2.793472s');
  });
});
