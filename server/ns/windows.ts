/**
 * Class A receive windows (LoRaWAN 1.0.3 §3.3): RX1 on the plan's RX1 channel and data rate for
 * the uplink (RX1DROffset 0, as Mote's JoinAccept sets it), RX2 on the plan's fixed channel.
 */
import { dataRateOf, type FrequencyPlan, maxDownlinkEirp, rx1, rx2 } from '../../lib/bands';
import { isMoteError } from '../../lib/errors';
import type { RadioMetadata, ReceiveWindowName, TxRequest } from './ports';

export interface WindowChoice {
  window: ReceiveWindowName;
  frequency: number;
  dr: number;
  /** Seconds after the uplink. */
  delay: number;
}

/** Undefined when the plan has no RX1 for this uplink (a channel outside the plan). */
export function rx1Window(
  plan: FrequencyPlan,
  uplinkFrequency: number,
  uplinkDr: number,
  delay: number,
): WindowChoice | undefined {
  try {
    return { window: 'rx1', ...rx1(plan, { uplinkFrequency, uplinkDr, rx1DrOffset: 0 }), delay };
  } catch (e) {
    if (isMoteError(e)) return undefined;
    throw e;
  }
}

export const rx2Window = (plan: FrequencyPlan, delay: number): WindowChoice => ({
  window: 'rx2',
  ...rx2(plan),
  delay,
});

/** The largest FRMPayload the window carries beside `fOptsBytes` of MAC commands. */
export const windowCapacity = (plan: FrequencyPlan, w: WindowChoice, fOptsBytes: number): number =>
  dataRateOf(plan, w.dr).maxApplicationPayload - fOptsBytes;

/** The concentrator counts µs and wraps at 2^32. */
const US_WRAP = 2 ** 32;

export function txRequest(
  plan: FrequencyPlan,
  w: WindowChoice,
  via: RadioMetadata,
  phyPayload: Uint8Array,
): TxRequest {
  const tx: TxRequest = {
    phyPayload,
    window: w.window,
    delay: w.delay,
    frequency: w.frequency,
    dataRateIndex: w.dr,
    modulation: dataRateOf(plan, w.dr).modulation,
    codingRate: plan.codingRate,
    power: maxDownlinkEirp(plan, w.frequency) ?? plan.maxEirp,
    gateway: via.gatewayIds,
    timestamp: (via.timestamp + w.delay * 1_000_000) % US_WRAP,
  };
  if (via.uplinkToken) tx.uplinkToken = via.uplinkToken;
  return tx;
}
