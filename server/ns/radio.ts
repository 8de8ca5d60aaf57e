/**
 * What the gateways report about an uplink, turned into what the AS publishes (`rx_metadata`,
 * `settings`, `consumed_airtime`) and what the network decides on (the gateway to answer
 * through, the link margin of LinkCheckAns).
 */
import { isLoRa, type Modulation } from '../../lib/bands';
import { airtime, protoDuration } from '../../lib/lorawan/airtime';
import type { DataRate, RxMetadata, TxSettings } from '../../lib/messages';
import type { RadioMetadata } from './ports';

export function rxMetadataOf(r: RadioMetadata): RxMetadata {
  const m: RxMetadata = {
    gateway_ids: r.gatewayIds,
    time: r.time,
    timestamp: r.timestamp,
    rssi: r.rssi,
    channel_rssi: r.channelRssi ?? r.rssi,
    snr: r.snr,
    location: r.location,
    uplink_token: r.uplinkToken,
    channel_index: r.channelIndex,
    received_at: r.receivedAt.toISOString(),
  };
  return m;
}

export const dataRateMessage = (modulation: Modulation, codingRate: string): DataRate =>
  isLoRa(modulation)
    ? {
        lora: {
          bandwidth: modulation.bandwidth,
          spreading_factor: modulation.spreadingFactor,
          coding_rate: codingRate,
        },
      }
    : { fsk: { bit_rate: modulation.bitRate } };

export function settingsOf(r: RadioMetadata): TxSettings {
  return {
    data_rate: dataRateMessage(r.modulation, r.codingRate),
    frequency: r.frequency,
    timestamp: r.timestamp,
    time: r.time,
  };
}

/** The frame's own length on air, not an estimate: the real PHYPayload is at hand. */
export const consumedAirtime = (phyPayloadBytes: number, r: RadioMetadata): string =>
  protoDuration(airtime(phyPayloadBytes, r.modulation, { codingRate: r.codingRate }));

/** The radio that heard the uplink best: the best SNR, then the best RSSI (as TTS ranks paths). */
export function strongest(radios: readonly RadioMetadata[]): RadioMetadata | undefined {
  let best: RadioMetadata | undefined;
  for (const r of radios)
    if (!best || r.snr > best.snr || (r.snr === best.snr && r.rssi > best.rssi)) best = r;
  return best;
}

/**
 * The gateway to answer through: the strongest of those that can take a downlink now; none when
 * no gateway can (every one reported `downlinkPath: false`).
 */
export const bestGateway = (radios: readonly RadioMetadata[]): RadioMetadata | undefined =>
  strongest(radios.filter((r) => r.downlinkPath !== false));

/**
 * The SNR below which a LoRa demodulator loses the frame, per spreading factor (SX1276
 * datasheet Table 13; TTS `pkg/networkserver` uses the same values for LinkCheckAns).
 */
const DEMODULATION_FLOOR: Record<number, number> = { 7: -7.5, 8: -10, 9: -12.5, 10: -15, 11: -17.5, 12: -20 };

/**
 * LoRaWAN 1.0.3 §5.1: the margin is the link budget in dB above the demodulation floor of the
 * uplink's data rate, 0..254 (255 reserved), from the best of the gateways that heard it. FSK
 * has no such floor: its margin is the SNR itself.
 */
export function linkMargin(radios: readonly RadioMetadata[]): number {
  const best = strongest(radios);
  if (!best) return 0;
  const floor = isLoRa(best.modulation) ? (DEMODULATION_FLOOR[best.modulation.spreadingFactor] ?? 0) : 0;
  return Math.min(254, Math.max(0, Math.floor(best.snr - floor)));
}
