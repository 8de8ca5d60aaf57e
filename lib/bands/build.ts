import type { DataRate } from './types';

/** Who sends a data rate: devices, gateways or both. */
type Use = 'up' | 'down' | 'both';

/** FHDR without FOpts (7) + FPort (1): RP002's N is always M − 8. */
const MAC_OVERHEAD_WITHOUT_FOPTS = 8;

const rate = (
  modulation: DataRate['modulation'],
  bitRate: number,
  maxMacPayload: number,
  use: Use,
): DataRate => ({
  modulation,
  bitRate,
  maxMacPayload,
  maxApplicationPayload: maxMacPayload - MAC_OVERHEAD_WITHOUT_FOPTS,
  uplink: use !== 'down',
  downlink: use !== 'up',
});

/** A LoRa data rate row: SF, bandwidth (Hz), bit rate, M, and who uses it. */
export const lora = (sf: number, bandwidth: number, bitRate: number, m: number, use: Use): DataRate =>
  rate({ spreadingFactor: sf, bandwidth }, bitRate, m, use);

export const fsk = (bitRate: number, m: number, use: Use): DataRate => rate({ bitRate }, bitRate, m, use);
