import { describe, expect, it } from 'vitest';
import { airtime } from '../lorawan/airtime';
import { FREQUENCY_PLANS, type FrequencyPlan, maxDownlinkEirp, rx1 } from '.';

/** Every table, present and future, must hold together: a new plan gets these checks for free. */
const uplinkDrs = (plan: FrequencyPlan) =>
  Object.entries(plan.dataRates)
    .filter(([, d]) => d.uplink)
    .map(([dr]) => Number(dr));
const isDownlinkDr = (plan: FrequencyPlan, dr: number) => plan.dataRates[dr]?.downlink === true;

describe.each(Object.entries(FREQUENCY_PLANS))('frequency plan %s', (id, plan) => {
  it('is registered under its own ID', () => {
    expect(plan.id).toBe(id);
  });

  it('has distinct channels whose DR ranges are uplink data rates of the plan', () => {
    const indices = plan.uplinkChannels.map((c) => c.index);
    expect(new Set(indices).size).toBe(indices.length);
    expect(new Set(plan.uplinkChannels.map((c) => c.frequency)).size).toBe(indices.length);
    for (const c of plan.uplinkChannels) {
      expect(Number.isInteger(c.frequency), `channel ${c.index}`).toBe(true);
      expect(c.minDr).toBeLessThanOrEqual(c.maxDr);
      for (let dr = c.minDr; dr <= c.maxDr; dr++) expect(plan.dataRates[dr]?.uplink, `DR${dr}`).toBe(true);
    }
    for (const j of plan.joinChannels) expect(indices).toContain(j);
  });

  it('has an RX1 row for every uplink DR, every offset mapping to a downlink DR', () => {
    const offsets = plan.rx1DataRates[0]?.length ?? 0;
    expect(offsets).toBeGreaterThan(0);
    for (const dr of uplinkDrs(plan)) {
      const row = plan.rx1DataRates[dr];
      expect(row, `uplink DR${dr}`).toHaveLength(offsets);
      for (const down of row ?? []) expect(isDownlinkDr(plan, down), `DR${dr} → DR${down}`).toBe(true);
    }
    expect(isDownlinkDr(plan, plan.rx2.dr)).toBe(true);
  });

  it('answers RX1 for every channel, DR and offset inside a sub-band it may transmit in', () => {
    for (const c of plan.uplinkChannels)
      for (let uplinkDr = c.minDr; uplinkDr <= c.maxDr; uplinkDr++)
        for (let rx1DrOffset = 0; rx1DrOffset < (plan.rx1DataRates[0]?.length ?? 0); rx1DrOffset++) {
          const window = rx1(plan, { uplinkFrequency: c.frequency, uplinkDr, rx1DrOffset });
          expect(isDownlinkDr(plan, window.dr)).toBe(true);
          expect(maxDownlinkEirp(plan, window.frequency), `${window.frequency} Hz`).toBeDefined();
        }
    expect(maxDownlinkEirp(plan, plan.rx2.frequency)).toBeDefined();
  });

  it('has N = M − 8 and frames within LoRa’s 255-byte PHYPayload', () => {
    for (const d of Object.values(plan.dataRates)) {
      expect(d.maxApplicationPayload).toBe(d.maxMacPayload - 8);
      expect(d.maxMacPayload + 5).toBeLessThanOrEqual(255);
      expect(d.uplink || d.downlink).toBe(true);
    }
  });

  it('has a CFList that only adds what the plan has', () => {
    const cfList = plan.cfList;
    if (cfList?.type === 'frequencies') {
      const extra = plan.uplinkChannels.filter((c) => !plan.joinChannels.includes(c.index));
      expect(cfList.frequencies).toEqual(extra.map((c) => c.frequency));
      expect(cfList.frequencies.length).toBeLessThanOrEqual(5);
    }
    if (cfList?.type === 'channel_mask')
      expect(cfList.enabledChannels).toEqual(plan.uplinkChannels.map((c) => c.index));
  });

  it('keeps RP002’s rules for delays and dwell time', () => {
    // RP002 "Default Settings": RECEIVE_DELAY2 SHALL be RECEIVE_DELAY1 + 1 s; so are the join delays.
    expect(plan.delays.receiveDelay2).toBe(plan.delays.receiveDelay1 + 1);
    expect(plan.delays.joinAcceptDelay2).toBe(plan.delays.joinAcceptDelay1 + 1);
    const dwell = plan.uplinkDwellTime;
    if (dwell !== undefined)
      for (const dr of uplinkDrs(plan)) {
        const d = plan.dataRates[dr];
        if (d) expect(airtime(d.maxMacPayload + 5, d.modulation), `DR${dr}`).toBeLessThanOrEqual(dwell);
      }
  });
});
