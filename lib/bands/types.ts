/**
 * A frequency plan as data: everything the network layer needs to know about a band is in its
 * table, so another band is another table (compare TTS `pkg/band`, ChirpStack `lrwn/src/region`).
 * Values come from LoRaWAN Regional Parameters RP002-1.0.4; sections are cited by title, which
 * the RP002-1.0.x revisions share while their numbering moved. Frequencies are in Hz, times in
 * seconds, powers in dBm.
 */

export interface LoRaModulation {
  readonly spreadingFactor: number;
  /** Hz. */
  readonly bandwidth: number;
}

export interface FskModulation {
  /** bit/s. */
  readonly bitRate: number;
}

export type Modulation = LoRaModulation | FskModulation;

export const isLoRa = (m: Modulation): m is LoRaModulation => 'spreadingFactor' in m;

export interface DataRate {
  readonly modulation: Modulation;
  /** RP002's "indicative physical bit rate" of the data rate table, bit/s. */
  readonly bitRate: number;
  /** M of RP002's "Maximum Payload Size" table: the largest MACPayload, bytes. */
  readonly maxMacPayload: number;
  /**
   * N of the same table: the largest FRMPayload when FOpts is empty (M − 8: FHDR 7 + FPort 1).
   * The tables "not repeater compatible" apply: Mote has no repeaters.
   */
  readonly maxApplicationPayload: number;
  /** Whether devices send it, and whether gateways send it to devices. */
  readonly uplink: boolean;
  readonly downlink: boolean;
}

export interface Channel {
  /**
   * The channel's number in its band. US902-928 numbers all 72 uplink channels, and its RX1
   * channel and ChMask are defined on that number, not on the position in a plan's list.
   */
  readonly index: number;
  readonly frequency: number;
  readonly minDr: number;
  readonly maxDr: number;
}

/** How RX1 follows the uplink (RP002 "… Receive Windows" of each band). */
export type Rx1Channel =
  /** EU863-870: RX1 uses the uplink's channel. */
  | { readonly kind: 'uplink' }
  /** US902-928: downlink channel (uplink channel number modulo the number of downlink channels). */
  | { readonly kind: 'modulo'; readonly downlinkFrequencies: readonly number[] };

/** What a JoinAccept's optional 16-byte CFList carries (RP002 "… JoinAccept CFList"). */
export type CFList =
  /** CFListType 0: five more channel frequencies, usable for DR0–DR5. */
  | { readonly type: 'frequencies'; readonly frequencies: readonly number[] }
  /** CFListType 1: ChMask of the band's fixed channels; these channel numbers are enabled. */
  | { readonly type: 'channel_mask'; readonly enabledChannels: readonly number[] };

/** A regulatory sub-band: what a transmitter may radiate there and how often. */
export interface SubBand {
  readonly minFrequency: number;
  readonly maxFrequency: number;
  /** Fraction of time a transmitter may be on air (1: no limit). */
  readonly dutyCycle: number;
  readonly maxEirp: number;
}

export interface ReceiveDelays {
  readonly receiveDelay1: number;
  readonly receiveDelay2: number;
  readonly joinAcceptDelay1: number;
  readonly joinAcceptDelay2: number;
}

export interface FrequencyPlan {
  /** TTS's frequency plan ID, as in `--frequency-plan-id`. */
  readonly id: string;
  /** TTS's band ID, which several plans share. */
  readonly bandId: string;
  readonly uplinkChannels: readonly Channel[];
  /** Channel numbers a device sends its JoinRequest on. */
  readonly joinChannels: readonly number[];
  readonly dataRates: Readonly<Record<number, DataRate>>;
  /** LoRaWAN uses one coding rate for LoRa frames. */
  readonly codingRate: '4/5';
  /** RX1 data rate: `rx1DataRates[uplinkDr][rx1DrOffset]`. */
  readonly rx1DataRates: readonly (readonly number[])[];
  readonly rx1Channel: Rx1Channel;
  readonly rx2: { readonly frequency: number; readonly dr: number };
  readonly delays: ReceiveDelays;
  /** Devices' default MaxEIRP: the EIRP of TXPower 0. */
  readonly maxEirp: number;
  readonly subBands: readonly SubBand[];
  readonly cfList?: CFList;
  /** Longest uplink transmission allowed, seconds; absent when there is no limit. */
  readonly uplinkDwellTime?: number;
}

/** RP002 "Default Settings", the same in every region. */
export const DEFAULT_DELAYS: ReceiveDelays = {
  receiveDelay1: 1,
  receiveDelay2: 2,
  joinAcceptDelay1: 5,
  joinAcceptDelay2: 6,
};

/** ETSI gives its limits as ERP (a half-wave dipole's gain over isotropic): EIRP = ERP + 2.15 dB. */
export const ERP_TO_EIRP = 2.15;
