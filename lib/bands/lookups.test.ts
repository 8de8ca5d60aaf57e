import { describe, expect, it } from 'vitest';
import { isMoteError } from '../errors';
import {
  dataRateNotFound,
  dataRateOf,
  describeModulation,
  EU_863_870,
  FREQUENCY_PLANS,
  frequencyPlan,
  frequencyPlanNotFound,
  isFrequencyPlanId,
  maxApplicationPayload,
  rx1,
  rx1DataRateNotFound,
  rx2,
  US_902_928_FSB_2,
  uplinkChannelNotFound,
} from '.';

const thrown = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
};

describe('frequencyPlan', () => {
  it('finds the plans by TTS ID', () => {
    expect(frequencyPlan('EU_863_870')).toBe(EU_863_870);
    expect(frequencyPlan('US_902_928_FSB_2')).toBe(US_902_928_FSB_2);
    expect(Object.keys(FREQUENCY_PLANS)).toEqual(['EU_863_870', 'US_902_928_FSB_2']);
  });

  it('refuses any other ID with TTS’s not_found', () => {
    for (const id of ['US_902_928_FSB_1', 'eu_863_870', '', 'toString', '__proto__']) {
      expect(isFrequencyPlanId(id)).toBe(false);
      const e = thrown(() => frequencyPlan(id));
      expect(frequencyPlanNotFound.is(e)).toBe(true);
      expect(isMoteError(e) && [e.namespace, e.errorClass, e.attributes]).toEqual([
        'pkg/frequencyplans',
        'not_found',
        { id },
      ]);
    }
  });
});

describe('lookups', () => {
  it('refuses data rates a plan does not have', () => {
    for (const [plan, dr] of [
      [EU_863_870, 8],
      [EU_863_870, -1],
      [EU_863_870, 2.5],
      [US_902_928_FSB_2, 5],
      [US_902_928_FSB_2, 7],
    ] as const) {
      expect(dataRateNotFound.is(thrown(() => dataRateOf(plan, dr))), `${plan.id} DR${dr}`).toBe(true);
      expect(dataRateNotFound.is(thrown(() => maxApplicationPayload(plan, dr)))).toBe(true);
    }
  });

  it('refuses RX1 for a frequency off the plan, a downlink DR or an offset out of range', () => {
    const eu = { uplinkFrequency: 868_100_000, uplinkDr: 5, rx1DrOffset: 0 };
    expect(
      uplinkChannelNotFound.is(thrown(() => rx1(EU_863_870, { ...eu, uplinkFrequency: 869_525_000 }))),
    ).toBe(true);
    expect(rx1DataRateNotFound.is(thrown(() => rx1(EU_863_870, { ...eu, rx1DrOffset: 6 })))).toBe(true);
    const us = { uplinkFrequency: 903_900_000, uplinkDr: 0, rx1DrOffset: 0 };
    // Channel 0 is in the band but not in sub-band 2.
    expect(
      uplinkChannelNotFound.is(thrown(() => rx1(US_902_928_FSB_2, { ...us, uplinkFrequency: 902_300_000 }))),
    ).toBe(true);
    expect(rx1DataRateNotFound.is(thrown(() => rx1(US_902_928_FSB_2, { ...us, uplinkDr: 8 })))).toBe(true);
    expect(rx1DataRateNotFound.is(thrown(() => rx1(US_902_928_FSB_2, { ...us, rx1DrOffset: 4 })))).toBe(true);
  });

  it('gives RX2 as a copy, so a caller cannot change the table', () => {
    const window = rx2(EU_863_870);
    window.dr = 3;
    expect(rx2(EU_863_870).dr).toBe(0);
  });

  it('names modulations as the packet forwarder does', () => {
    expect(describeModulation({ spreadingFactor: 7, bandwidth: 125_000 })).toBe('SF7BW125');
    expect(describeModulation({ spreadingFactor: 12, bandwidth: 500_000 })).toBe('SF12BW500');
    expect(describeModulation({ bitRate: 50_000 })).toBe('FSK50000');
  });
});
