/**
 * The inverse of server/gs/udp/rxpk.ts: one uplink as the virtual gateway's concentrator reports
 * it in a PUSH_DATA (PROTOCOL.TXT §4). `rssi` is the channel RSSI; `lsnr` the SNR.
 */
import { isLoRa } from '../../lib/bands';
import type { RadioMetadata } from '../ns/ports';

export function toRxpk(phyPayload: Uint8Array, radio: RadioMetadata, tmst: number): Record<string, unknown> {
  const m = radio.modulation;
  return {
    time: radio.time ?? radio.receivedAt.toISOString(),
    tmst,
    chan: radio.channelIndex ?? 0,
    rfch: 0,
    // Hz to MHz with six decimals, as forwarders print it.
    freq: Math.round(radio.frequency) / 1e6,
    stat: 1,
    ...(isLoRa(m)
      ? { modu: 'LORA', datr: `SF${m.spreadingFactor}BW${m.bandwidth / 1000}`, codr: radio.codingRate }
      : { modu: 'FSK', datr: m.bitRate }),
    rssi: Math.round(radio.channelRssi ?? radio.rssi),
    lsnr: radio.snr,
    size: phyPayload.length,
    data: Buffer.from(phyPayload).toString('base64'),
  };
}
