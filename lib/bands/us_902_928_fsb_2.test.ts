import { describe, expect, it } from 'vitest';
import { loraAirtime } from '../lorawan/airtime';
import {
  dataRateIndex,
  dataRateOf,
  isLoRa,
  maxApplicationPayload,
  maxDownlinkEirp,
  modulationNotFound,
  rx1,
  rx2,
  US_902_928_FSB_2,
} from '.';

const plan = US_902_928_FSB_2;

describe('US_902_928_FSB_2', () => {
  it('is sub-band 2: channels 8–15 at 125 kHz and channel 65 at 500 kHz', () => {
    expect(plan.uplinkChannels.map((c) => [c.index, c.frequency / 1e6, c.minDr, c.maxDr])).toEqual([
      [8, 903.9, 0, 3],
      [9, 904.1, 0, 3],
      [10, 904.3, 0, 3],
      [11, 904.5, 0, 3],
      [12, 904.7, 0, 3],
      [13, 904.9, 0, 3],
      [14, 905.1, 0, 3],
      [15, 905.3, 0, 3],
      [65, 904.6, 4, 4],
    ]);
    // RP002 "US902-928 Channel Frequencies": 902.3 MHz + 200 kHz × n; 903.0 MHz + 1.6 MHz × (n − 64).
    for (const c of plan.uplinkChannels)
      expect(c.frequency).toBe(
        c.index < 64 ? 902_300_000 + 200_000 * c.index : 903_000_000 + 1_600_000 * (c.index - 64),
      );
    expect(plan.joinChannels).toEqual([8, 9, 10, 11, 12, 13, 14, 15, 65]);
    expect(plan.cfList).toEqual({
      type: 'channel_mask',
      enabledChannels: [8, 9, 10, 11, 12, 13, 14, 15, 65],
    });
  });

  it('has the maximum payload sizes of RP002 "US902-928 Maximum Payload Size (not repeater compatible)"', () => {
    // [DR, SF, bandwidth, M, N, uplink]
    const table = [
      [0, 10, 125_000, 19, 11, true],
      [1, 9, 125_000, 61, 53, true],
      [2, 8, 125_000, 133, 125, true],
      [3, 7, 125_000, 250, 242, true],
      [4, 8, 500_000, 250, 242, true],
      [8, 12, 500_000, 61, 53, false],
      [9, 11, 500_000, 137, 129, false],
      [10, 10, 500_000, 250, 242, false],
      [11, 9, 500_000, 250, 242, false],
      [12, 8, 500_000, 250, 242, false],
      [13, 7, 500_000, 250, 242, false],
    ] as const;
    for (const [dr, sf, bandwidth, m, n, uplink] of table) {
      expect(dataRateOf(plan, dr)).toMatchObject({
        modulation: { spreadingFactor: sf, bandwidth },
        maxMacPayload: m,
        uplink,
        downlink: !uplink,
      });
      expect(maxApplicationPayload(plan, dr)).toBe(n);
    }
    expect(Object.keys(plan.dataRates).map(Number)).toEqual(table.map(([dr]) => dr));
  });

  it('tells SF8 at 500 kHz apart by direction', () => {
    const sf8 = { spreadingFactor: 8, bandwidth: 500_000 };
    expect(dataRateIndex(plan, sf8, 'uplink')).toBe(4);
    expect(dataRateIndex(plan, sf8, 'downlink')).toBe(12);
    expect(() => dataRateIndex(plan, { spreadingFactor: 12, bandwidth: 500_000 })).toThrow(
      expect.objectContaining({ name: modulationNotFound.name }),
    );
  });

  it('answers RX1 on 923.3 MHz + 600 kHz × (channel mod 8) at the RX1DROffset table’s DR', () => {
    const cases = [
      [903_900_000, 0, 0, 923_300_000, 10], // channel 8
      [904_100_000, 1, 1, 923_900_000, 10], // channel 9
      [904_700_000, 2, 2, 925_700_000, 10], // channel 12
      [905_300_000, 3, 0, 927_500_000, 13], // channel 15
      [905_300_000, 3, 3, 927_500_000, 10],
      [903_900_000, 0, 3, 923_300_000, 8],
      [904_600_000, 4, 0, 923_900_000, 13], // channel 65
      [904_600_000, 4, 3, 923_900_000, 11],
    ] as const;
    for (const [uplinkFrequency, uplinkDr, rx1DrOffset, frequency, dr] of cases)
      expect(rx1(plan, { uplinkFrequency, uplinkDr, rx1DrOffset })).toEqual({ frequency, dr });
  });

  it('has RX2 at 923.3 MHz DR8, the default delays and powers', () => {
    expect(rx2(plan)).toEqual({ frequency: 923_300_000, dr: 8 });
    expect(plan.delays).toEqual({
      receiveDelay1: 1,
      receiveDelay2: 2,
      joinAcceptDelay1: 5,
      joinAcceptDelay2: 6,
    });
    expect(plan.maxEirp).toBe(30);
    expect(maxDownlinkEirp(plan, 923_300_000)).toBeCloseTo(28.15);
  });

  it('fits the largest frame of each uplink DR in the 400 ms dwell time, and no byte more up to DR2', () => {
    for (const [dr, dataRate] of Object.entries(plan.dataRates)) {
      if (!dataRate.uplink || !isLoRa(dataRate.modulation)) continue;
      // PHYPayload = MHDR (1) + MACPayload (M) + MIC (4).
      const longest = loraAirtime(dataRate.maxMacPayload + 5, dataRate.modulation);
      expect(longest, `DR${dr}`).toBeLessThanOrEqual(0.4);
      if (Number(dr) <= 2)
        expect(loraAirtime(dataRate.maxMacPayload + 6, dataRate.modulation), `DR${dr}`).toBeGreaterThan(0.4);
    }
    expect(plan.uplinkDwellTime).toBe(0.4);
  });
});
