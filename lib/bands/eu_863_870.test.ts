import { describe, expect, it } from 'vitest';
import { dataRateIndex, dataRateOf, EU_863_870, maxApplicationPayload, maxDownlinkEirp, rx1, rx2 } from '.';

const plan = EU_863_870;

describe('EU_863_870', () => {
  it('has the data rates of RP002 "EU863-870 Data Rate … Encoding" and "… Maximum Payload Size"', () => {
    // [DR, SF or FSK bit rate, bandwidth, indicative bit rate, M, N] (not repeater compatible).
    const table = [
      [0, 12, 125_000, 250, 59, 51],
      [1, 11, 125_000, 440, 59, 51],
      [2, 10, 125_000, 980, 59, 51],
      [3, 9, 125_000, 1760, 123, 115],
      [4, 8, 125_000, 3125, 250, 242],
      [5, 7, 125_000, 5470, 250, 242],
      [6, 7, 250_000, 11_000, 250, 242],
    ] as const;
    for (const [dr, sf, bandwidth, bitRate, m, n] of table) {
      expect(dataRateOf(plan, dr)).toEqual({
        modulation: { spreadingFactor: sf, bandwidth },
        bitRate,
        maxMacPayload: m,
        maxApplicationPayload: n,
        uplink: true,
        downlink: true,
      });
      expect(maxApplicationPayload(plan, dr)).toBe(n);
    }
    expect(dataRateOf(plan, 7)).toMatchObject({ modulation: { bitRate: 50_000 }, maxMacPayload: 250 });
    expect(maxApplicationPayload(plan, 7)).toBe(242);
    expect(Object.keys(plan.dataRates)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7']);
  });

  it('finds data rates by modulation, in either direction', () => {
    expect(dataRateIndex(plan, { spreadingFactor: 7, bandwidth: 125_000 })).toBe(5);
    expect(dataRateIndex(plan, { spreadingFactor: 7, bandwidth: 250_000 })).toBe(6);
    expect(dataRateIndex(plan, { spreadingFactor: 12, bandwidth: 125_000 }, 'downlink')).toBe(0);
    expect(dataRateIndex(plan, { bitRate: 50_000 })).toBe(7);
  });

  it('has the three default channels, five more in the CFList, in TTS’s order', () => {
    expect(plan.uplinkChannels.map((c) => [c.index, c.frequency / 1e6, c.minDr, c.maxDr])).toEqual([
      [0, 868.1, 0, 5],
      [1, 868.3, 0, 5],
      [2, 868.5, 0, 5],
      [3, 867.1, 0, 5],
      [4, 867.3, 0, 5],
      [5, 867.5, 0, 5],
      [6, 867.7, 0, 5],
      [7, 867.9, 0, 5],
    ]);
    expect(plan.joinChannels).toEqual([0, 1, 2]);
    expect(plan.cfList).toEqual({
      type: 'frequencies',
      frequencies: [867_100_000, 867_300_000, 867_500_000, 867_700_000, 867_900_000],
    });
  });

  it('answers RX1 on the uplink frequency at the uplink DR minus the offset, never below DR0', () => {
    const cases = [
      [868_100_000, 5, 0, 5],
      [868_300_000, 5, 2, 3],
      [868_500_000, 5, 5, 0],
      [867_100_000, 0, 0, 0],
      [867_500_000, 1, 3, 0],
      [867_900_000, 7, 5, 2],
      [867_700_000, 6, 1, 5],
      [868_100_000, 3, 4, 0],
    ] as const;
    for (const [uplinkFrequency, uplinkDr, rx1DrOffset, dr] of cases)
      expect(rx1(plan, { uplinkFrequency, uplinkDr, rx1DrOffset })).toEqual({
        frequency: uplinkFrequency,
        dr,
      });
  });

  it('has RX2 at 869.525 MHz DR0, the default delays and powers', () => {
    expect(rx2(plan)).toEqual({ frequency: 869_525_000, dr: 0 });
    expect(plan.delays).toEqual({
      receiveDelay1: 1,
      receiveDelay2: 2,
      joinAcceptDelay1: 5,
      joinAcceptDelay2: 6,
    });
    expect(plan.maxEirp).toBe(16);
    expect(maxDownlinkEirp(plan, 868_100_000)).toBeCloseTo(16.15);
    expect(maxDownlinkEirp(plan, 869_525_000)).toBeCloseTo(29.15);
    expect(maxDownlinkEirp(plan, 869_300_000)).toBeUndefined();
    expect(plan.uplinkDwellTime).toBeUndefined();
  });
});
