/**
 * EU863-870 regional parameters the simulator and the downlink lifecycle need (LoRaWAN RP002-1.0.4):
 * data rates, the largest application payload per data rate (no repeater), channels and airtime.
 */
export interface LoraDataRate {
  spreadingFactor: number;
  bandwidth: number;
}

/**
 * DR0–DR6 (DR7 is FSK, which the simulator does not use). A tuple, so that a fixed index such
 * as `EU868_DATA_RATES[5]` is known to exist.
 */
export const EU868_DATA_RATES = [
  { spreadingFactor: 12, bandwidth: 125_000 },
  { spreadingFactor: 11, bandwidth: 125_000 },
  { spreadingFactor: 10, bandwidth: 125_000 },
  { spreadingFactor: 9, bandwidth: 125_000 },
  { spreadingFactor: 8, bandwidth: 125_000 },
  { spreadingFactor: 7, bandwidth: 125_000 },
  { spreadingFactor: 7, bandwidth: 250_000 },
] as const satisfies readonly LoraDataRate[];

/** RP002 table "EU863-870 maximum payload size (not repeater compatible)", N per DR0–DR7. */
const MAX_APP_PAYLOAD = [51, 51, 51, 115, 242, 242, 242, 242];
const SMALLEST_MAX_APP_PAYLOAD = 51;

/**
 * An index past either end of the table is clamped to it; one that is no index at all (NaN, 2.5)
 * gets the smallest limit rather than `undefined`, which no payload length would exceed.
 */
export const maxApplicationPayload = (dataRateIndex: number): number =>
  MAX_APP_PAYLOAD[Math.min(Math.max(0, dataRateIndex), MAX_APP_PAYLOAD.length - 1)] ??
  SMALLEST_MAX_APP_PAYLOAD;

/** The three mandatory join channels plus the five TTN adds (Hz). */
export const EU868_CHANNELS = [
  868_100_000, 868_300_000, 868_500_000, 867_100_000, 867_300_000, 867_500_000, 867_700_000, 867_900_000,
] as const;

export const CODING_RATE = '4/5';

/** MHDR (1) + FHDR without FOpts (7) + FPort (1) + MIC (4). */
export const PHY_OVERHEAD = 13;

/** Time on air in seconds (Semtech AN1200.13), explicit header, CRC on, coding rate 4/5. */
export function loraAirtime(phyPayloadBytes: number, dr: LoraDataRate, preambleSymbols = 8): number {
  const { spreadingFactor: sf, bandwidth: bw } = dr;
  const tSym = 2 ** sf / bw;
  const lowDataRateOptimize = sf >= 11 && bw === 125_000 ? 1 : 0;
  const numerator = 8 * phyPayloadBytes - 4 * sf + 28 + 16;
  const symbols = 8 + Math.max(Math.ceil(numerator / (4 * (sf - 2 * lowDataRateOptimize))) * 5, 0);
  return (preambleSymbols + 4.25) * tSym + symbols * tSym;
}
