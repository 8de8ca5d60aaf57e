import { internalError } from '../errors';
import { dataRateNotFound, modulationNotFound, rx1DataRateNotFound, uplinkChannelNotFound } from './errors';
import { type DataRate, type FrequencyPlan, isLoRa, type Modulation } from './types';

/** A receive window's settings: where and how fast the gateway transmits. */
export interface ReceiveWindowSettings {
  frequency: number;
  dr: number;
}

export interface Rx1Request {
  uplinkFrequency: number;
  uplinkDr: number;
  rx1DrOffset: number;
}

export type Direction = 'uplink' | 'downlink';

export function dataRateOf(plan: FrequencyPlan, index: number): DataRate {
  const dataRate = plan.dataRates[index];
  if (!dataRate) throw dataRateNotFound({ index, frequency_plan_id: plan.id });
  return dataRate;
}

/** As Semtech's packet forwarder writes `datr`: `SF7BW125`, or the FSK bit rate. */
export const describeModulation = (m: Modulation): string =>
  isLoRa(m) ? `SF${m.spreadingFactor}BW${m.bandwidth / 1000}` : `FSK${m.bitRate}`;

const sameModulation = (a: Modulation, b: Modulation): boolean =>
  isLoRa(a) && isLoRa(b)
    ? a.spreadingFactor === b.spreadingFactor && a.bandwidth === b.bandwidth
    : !isLoRa(a) && !isLoRa(b) && a.bitRate === b.bitRate;

/**
 * The index of a received or scheduled modulation. The direction matters: in US902-928 SF8 at
 * 500 kHz is DR4 going up and DR12 going down.
 */
export function dataRateIndex(
  plan: FrequencyPlan,
  modulation: Modulation,
  direction: Direction = 'uplink',
): number {
  for (const [index, dataRate] of Object.entries(plan.dataRates)) {
    const used = direction === 'uplink' ? dataRate.uplink : dataRate.downlink;
    if (used && sameModulation(dataRate.modulation, modulation)) return Number(index);
  }
  throw modulationNotFound({
    direction,
    data_rate: describeModulation(modulation),
    frequency_plan_id: plan.id,
  });
}

/** N: the largest FRMPayload at this data rate when FOpts is empty. */
export const maxApplicationPayload = (plan: FrequencyPlan, dr: number): number =>
  dataRateOf(plan, dr).maxApplicationPayload;

/** RX1 of a class A uplink: the plan's channel rule and its RX1DROffset table. */
export function rx1(
  plan: FrequencyPlan,
  { uplinkFrequency, uplinkDr, rx1DrOffset }: Rx1Request,
): ReceiveWindowSettings {
  const channel = plan.uplinkChannels.find((c) => c.frequency === uplinkFrequency);
  if (!channel) throw uplinkChannelNotFound({ frequency: uplinkFrequency, frequency_plan_id: plan.id });
  const dr = plan.rx1DataRates[uplinkDr]?.[rx1DrOffset];
  if (dr === undefined)
    throw rx1DataRateNotFound({
      uplink_dr: uplinkDr,
      rx1_dr_offset: rx1DrOffset,
      frequency_plan_id: plan.id,
    });
  const rule = plan.rx1Channel;
  const frequency =
    rule.kind === 'uplink'
      ? channel.frequency
      : rule.downlinkFrequencies[channel.index % rule.downlinkFrequencies.length];
  // Only a plan without downlink channels gets here, which the consistency test rules out.
  if (frequency === undefined) throw internalError();
  return { frequency, dr };
}

/** RX2's defaults, until a JoinAccept or RXParamSetupReq moves them. */
export const rx2 = (plan: FrequencyPlan): ReceiveWindowSettings => ({ ...plan.rx2 });

/** The most a gateway may radiate at `frequency`; undefined outside every sub-band of the plan. */
export const maxDownlinkEirp = (plan: FrequencyPlan, frequency: number): number | undefined =>
  plan.subBands.find((b) => frequency >= b.minFrequency && frequency <= b.maxFrequency)?.maxEirp;
