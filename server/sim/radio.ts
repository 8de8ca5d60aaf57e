import { dataRateOf, EU_863_870 } from '../../lib/bands';
import type { Location } from '../../lib/messages';
import type { RadioMetadata } from '../ns/ports';
import { between, intBetween, type Random } from './random';

/**
 * Virtual gateways and what they report about an uplink (docs/behaviour.md §8): 1–3 of them hear each
 * uplink, each with its own RSSI/SNR, concentrator timestamp and uplink token.
 */
export interface VirtualGateway {
  gateway_id: string;
  eui: string;
  location: Location;
}

export const VIRTUAL_GATEWAYS: readonly VirtualGateway[] = [1, 2, 3].map((n) => {
  const eui = `00800000A00000${n.toString(16).padStart(2, '0').toUpperCase()}`;
  return {
    gateway_id: `eui-${eui.toLowerCase()}`,
    eui,
    // Around Amsterdam, so a map has something to show.
    location: {
      latitude: 52.37 + n * 0.01,
      longitude: 4.89 + n * 0.015,
      altitude: 5 * n,
      source: 'SOURCE_REGISTRY',
    },
  };
});

/** Concentrator time: a free-running microsecond counter that wraps at 2^32. */
const concentratorTimestamp = (now: Date, offsetUs: number) => (now.getTime() * 1000 + offsetUs) % 2 ** 32;

/** TTS's token encodes gateway and timestamp for the downlink path; ours does too, readably. */
const uplinkToken = (gw: VirtualGateway, timestamp: number) =>
  new TextEncoder().encode(JSON.stringify({ g: gw.gateway_id, t: timestamp }));

/** docs/behaviour.md §8.2: the simulated network is EU868. */
const PLAN = EU_863_870;
/** The simulator accepts DR0–DR6 (simulator.ts); an index the plan lacks gets DR5, SF7BW125, as before. */
const DEFAULT_DR = 5;

/**
 * What 1–3 virtual gateways report of one uplink, as a packet forwarder would (the network
 * layer's RadioMetadata): the network server turns it into `rx_metadata`, `settings` and
 * `consumed_airtime` as it does for real gateways.
 */
export function receiveUplink(random: Random, now: Date, dataRateIndex: number): RadioMetadata[] {
  const channelIndex = intBetween(random, 0, PLAN.uplinkChannels.length - 1);
  const count = intBetween(random, 1, VIRTUAL_GATEWAYS.length);
  const start = intBetween(random, 0, VIRTUAL_GATEWAYS.length - 1);
  // `count` gateways in turn from `start`, wrapping around.
  const heard = VIRTUAL_GATEWAYS.slice(start).concat(VIRTUAL_GATEWAYS.slice(0, start)).slice(0, count);
  const { modulation } = PLAN.dataRates[dataRateIndex] ?? dataRateOf(PLAN, DEFAULT_DR);
  const frequency = PLAN.uplinkChannels[channelIndex]?.frequency ?? PLAN.uplinkChannels[0]?.frequency ?? 0;
  return heard.map((gw, i): RadioMetadata => {
    const timestamp = concentratorTimestamp(now, i * 1_000_003);
    const rssi = intBetween(random, -120, -40);
    return {
      gatewayIds: { gateway_id: gw.gateway_id, eui: gw.eui },
      timestamp,
      rssi,
      channelRssi: rssi,
      snr: Math.round(between(random, -12, 12) * 4) / 4,
      frequency,
      channelIndex,
      modulation,
      codingRate: PLAN.codingRate,
      receivedAt: now,
      // Virtual gateways have GPS: their own time is the receive time.
      time: now.toISOString(),
      location: gw.location,
      uplinkToken: uplinkToken(gw, timestamp),
    };
  });
}
