import { type FskModulation, isLoRa, type LoRaModulation, type Modulation } from '../bands/types';

/**
 * Time on air of a LoRaWAN frame, in seconds: what TTS reports as `consumed_airtime` and what
 * duty-cycle and dwell-time limits count.
 */

export type CodingRate = '4/5' | '4/6' | '4/7' | '4/8';

export interface AirtimeOptions {
  /** Devices append a payload CRC to uplinks; gateways send downlinks without one. */
  direction?: 'uplink' | 'downlink';
  codingRate?: CodingRate;
  /** RP002 "… Preamble Format": 8 symbols in every LoRaWAN band. */
  preambleSymbols?: number;
}

/** MHDR (1) + FHDR without FOpts (7) + FPort (1) + MIC (4): a data frame's PHYPayload minus FRMPayload and FOpts. */
export const DATA_FRAME_OVERHEAD = 13;

const CR: Record<CodingRate, number> = { '4/5': 1, '4/6': 2, '4/7': 3, '4/8': 4 };

/** SX1276/77/78/79 datasheet §4.1.1.6: low data rate optimisation is mandated above 16 ms a symbol. */
const LOW_DATA_RATE_SYMBOL = 0.016;

/**
 * Semtech AN1200.13 "LoRa Modem Designer's Guide" (and the SX127x datasheet §4.1.1.7), for SF7–SF12:
 *   Tsym = 2^SF / BW, Tpreamble = (npreamble + 4.25) · Tsym,
 *   payloadSymbNb = 8 + max(ceil((8·PL − 4·SF + 28 + 16·CRC − 20·IH) / (4·(SF − 2·DE))) · (CR + 4), 0)
 * with IH = 0, since LoRaWAN always sends the explicit header.
 */
export function loraAirtime(
  phyPayloadBytes: number,
  { spreadingFactor: sf, bandwidth }: LoRaModulation,
  { direction = 'uplink', codingRate = '4/5', preambleSymbols = 8 }: AirtimeOptions = {},
): number {
  const symbol = 2 ** sf / bandwidth;
  const de = symbol > LOW_DATA_RATE_SYMBOL ? 1 : 0;
  const crc = direction === 'uplink' ? 1 : 0;
  const bits = 8 * phyPayloadBytes - 4 * sf + 28 + 16 * crc;
  const payloadSymbols = 8 + Math.max(Math.ceil(bits / (4 * (sf - 2 * de))) * (CR[codingRate] + 4), 0);
  return (preambleSymbols + 4.25 + payloadSymbols) * symbol;
}

/**
 * FSK (EU863-870 DR7): RP002's preamble (5 bytes) and sync word (3 bytes), then the SX127x packet
 * engine's length byte and CRC-16 around the PHYPayload; the same count as TTS's `pkg/toa`.
 */
export const fskAirtime = (phyPayloadBytes: number, { bitRate }: FskModulation): number =>
  ((phyPayloadBytes + 5 + 3 + 1 + 2) * 8) / bitRate;

export const airtime = (phyPayloadBytes: number, modulation: Modulation, options?: AirtimeOptions): number =>
  isLoRa(modulation)
    ? loraAirtime(phyPayloadBytes, modulation, options)
    : fskAirtime(phyPayloadBytes, modulation);

/**
 * A non-negative duration as proto-JSON writes it (`"0.056576s"`): nanosecond precision, then
 * 0, 3, 6 or 9 fractional digits, trimmed as Go's protojson trims them.
 */
export function protoDuration(seconds: number): string {
  const nanos = Math.round(seconds * 1e9);
  let text = `${Math.floor(nanos / 1e9)}.${String(nanos % 1e9).padStart(9, '0')}`;
  for (const suffix of ['000', '000', '.000'])
    if (text.endsWith(suffix)) text = text.slice(0, -suffix.length);
  return `${text}s`;
}
