/**
 * One `rxpk` (PROTOCOL.TXT §4) to the network layer's RadioMetadata. Compare TTS
 * `pkg/ttnpb/udp/translation.go` (`convertUplink`): `rssi` is the channel RSSI, `rssis` the signal
 * RSSI when the concentrator reports it (SX1302); `lsnr` is the SNR.
 */
import type { Modulation } from '../../../lib/bands';
import type { CodingRate } from '../../../lib/lorawan/airtime';
import type { GatewayIds, Location } from '../../../lib/messages';
import type { RadioMetadata } from '../../ns/ports';
import { isRecord } from './packets';

const CODING_RATES: readonly string[] = ['4/5', '4/6', '4/7', '4/8'];

export type RxpkResult =
  | { ok: true; phyPayload: Uint8Array; radio: RadioMetadata; crcFailed: false }
  | { ok: true; crcFailed: true }
  | { ok: false; reason: string };

export interface RxpkContext {
  gatewayIds: GatewayIds;
  receivedAt: Date;
  location?: Location;
  downlinkPath: boolean;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export function fromRxpk(rxpk: unknown, ctx: RxpkContext): RxpkResult {
  if (!isRecord(rxpk)) return { ok: false, reason: 'bad_rxpk' };
  // `stat` −1: the concentrator saw a bad CRC; the payload cannot be trusted (0: no CRC sent).
  if (rxpk.stat === -1) return { ok: true, crcFailed: true };
  const tmst = num(rxpk.tmst);
  const freq = num(rxpk.freq);
  const rssi = num(rxpk.rssi);
  if (tmst === undefined || freq === undefined || rssi === undefined)
    return { ok: false, reason: 'bad_rxpk' };
  const modulation = parseDatr(rxpk.modu, rxpk.datr);
  if (!modulation) return { ok: false, reason: 'bad_datr' };
  const codingRate = parseCodr(rxpk.codr, modulation);
  if (!codingRate) return { ok: false, reason: 'bad_codr' };
  if (typeof rxpk.data !== 'string') return { ok: false, reason: 'bad_data' };
  const phyPayload = Buffer.from(rxpk.data, 'base64');
  if (phyPayload.length === 0) return { ok: false, reason: 'bad_data' };

  const radio: RadioMetadata = {
    gatewayIds: ctx.gatewayIds,
    timestamp: tmst >>> 0,
    rssi: num(rxpk.rssis) ?? rssi,
    channelRssi: rssi,
    snr: num(rxpk.lsnr) ?? 0,
    // MHz with up to 6 decimals: rounding gives back whole Hz.
    frequency: Math.round(freq * 1e6),
    modulation,
    codingRate,
    receivedAt: ctx.receivedAt,
    downlinkPath: ctx.downlinkPath,
  };
  const chan = num(rxpk.chan);
  if (chan !== undefined) radio.channelIndex = chan;
  const time = gatewayTime(rxpk.time);
  if (time) radio.time = time;
  if (ctx.location) radio.location = ctx.location;
  return { ok: true, phyPayload, radio, crcFailed: false };
}

const RFC3339_UTC = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/;

/**
 * `time` as the forwarder sent it ("2013-03-31T16:21:17.528002Z", PROTOCOL.TXT §4: microseconds),
 * written as protobuf's JSON writes a Timestamp (TTS publishes it so): UTC, with 0, 3, 6 or 9
 * fractional digits. Another offset is converted (to milliseconds); anything unparsable is left out.
 */
export function gatewayTime(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) return undefined;
  const m = RFC3339_UTC.exec(v);
  if (!m) return new Date(ms).toISOString();
  let fraction = (m[2] ?? '').padEnd(9, '0');
  while (fraction.endsWith('000')) fraction = fraction.slice(0, -3);
  return `${m[1]}${fraction ? `.${fraction}` : ''}Z`;
}

/** `SF7BW125` for LoRa (bandwidth in kHz), bits per second as a number for FSK. */
export function parseDatr(modu: unknown, datr: unknown): Modulation | undefined {
  if (modu === 'FSK') {
    const bitRate = num(datr);
    return bitRate !== undefined && bitRate > 0 ? { bitRate } : undefined;
  }
  if (modu !== undefined && modu !== 'LORA') return undefined;
  if (typeof datr !== 'string') return undefined;
  const m = /^SF(\d{1,2})BW(\d{2,4})$/.exec(datr);
  if (!m) return undefined;
  const spreadingFactor = Number(m[1]);
  if (spreadingFactor < 5 || spreadingFactor > 12) return undefined;
  return { spreadingFactor, bandwidth: Number(m[2]) * 1000 };
}

/** FSK has no coding rate; the port still wants one, so it carries the LoRa default. */
function parseCodr(codr: unknown, modulation: Modulation): CodingRate | undefined {
  if ('bitRate' in modulation) return '4/5';
  if (codr === undefined) return '4/5';
  return typeof codr === 'string' && CODING_RATES.includes(codr) ? (codr as CodingRate) : undefined;
}
