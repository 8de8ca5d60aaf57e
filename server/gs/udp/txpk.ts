/**
 * A TxRequest to the `txpk` of a PULL_RESP (PROTOCOL.TXT §6). Class A downlinks are timed on the
 * uplink's concentrator counter (`tmst`), sent with inverted polarity and without CRC, as LoRaWAN
 * 1.0.3 §2.2 and RP002 require of downlinks to devices.
 */
import { isLoRa } from '../../../lib/bands';
import type { TxRequest } from '../../ns/ports';

export interface Txpk {
  imme: false;
  tmst: number;
  freq: number;
  rfch: number;
  powe: number;
  modu: 'LORA' | 'FSK';
  datr: string | number;
  codr?: string;
  fdev?: number;
  ipol: boolean;
  prea?: number;
  size: number;
  data: string;
  ncrc: boolean;
}

export function toTxpk(tx: TxRequest): Txpk {
  const common = {
    imme: false as const,
    tmst: tx.timestamp >>> 0,
    // Hz to MHz with six decimals, so 869.525 MHz is not sent as 869.5250000000001.
    freq: Math.round(tx.frequency) / 1e6,
    // Mote does not know the gateway's radios: RF chain 0 is the one that can transmit on common
    // gateways (TTS and ChirpStack default to it too).
    rfch: 0,
    powe: Math.floor(tx.power),
    size: tx.phyPayload.length,
    data: Buffer.from(tx.phyPayload).toString('base64'),
  };
  if (isLoRa(tx.modulation)) {
    const { spreadingFactor, bandwidth } = tx.modulation;
    return {
      ...common,
      modu: 'LORA',
      datr: `SF${spreadingFactor}BW${bandwidth / 1000}`,
      codr: tx.codingRate,
      ipol: true,
      ncrc: true,
    };
  }
  // RP002 FSK: 50 kbit/s with 25 kHz deviation, 5-byte preamble; no polarity inversion in FSK.
  return {
    ...common,
    modu: 'FSK',
    datr: tx.modulation.bitRate,
    fdev: tx.modulation.bitRate / 2,
    prea: 5,
    ipol: false,
    ncrc: false,
  };
}
