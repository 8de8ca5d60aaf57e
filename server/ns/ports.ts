/**
 * The network layer's ports (docs/architecture.md): what it needs of device storage, declared
 * here and implemented by the store (server/store/), and what it offers the gateway frontend and
 * the simulator. Keys and identifiers are upper-case hex strings, as in server/ns/lorawan/.
 */
import type { Modulation } from '../../lib/bands';
import type { CodingRate } from '../../lib/lorawan/airtime';
import type { EndDeviceIds, GatewayIds, Location } from '../../lib/messages';

export type MacVersion = '1.0.2' | '1.0.3' | '1.0.4';

/** A device's LoRaWAN session as the network layer keeps it (1.0.x: one NwkSKey). */
export interface NsSession {
  devAddr: string;
  nwkSKey: string;
  appSKey: string;
  /** Hex; the `session_key_id` published with `join` and `up` (base64 there). */
  sessionKeyId: string;
  /** The last 32-bit uplink FCnt accepted; undefined until the first uplink of the session. */
  lastFCntUp?: number;
  /** The last downlink FCnt used (NFCntDown/AFCntDown are one counter in 1.0.x). */
  lastFCntDown?: number;
  /** ABP sessions are given, not joined: their counters persist across restarts alike. */
  abp?: boolean;
}

/** What the network layer knows of one end device. */
export interface NsDevice {
  ids: EndDeviceIds;
  macVersion: MacVersion;
  frequencyPlanId: string;
  /** OTAA root key; undefined for an ABP-only device. */
  appKey?: string;
  session?: NsSession;
}

/** Device storage as the network layer needs it (implemented over the Store port). */
export interface NsDeviceRegistry {
  /**
   * The OTAA devices with this JoinEUI and DevEUI. Mote does not make the pair unique across
   * applications (two applications may register the same device): the MIC decides, as for DevAddr.
   */
  findForJoin(joinEui: string, devEui: string): Promise<NsDevice[]>;
  /** Devices whose current session has this DevAddr (several may share one; the MIC decides). */
  findByDevAddr(devAddr: string): Promise<NsDevice[]>;
  /**
   * Records a DevNonce; false when the device used it before (LoRaWAN 1.0.3 §6.2.5: any nonce
   * seen before is refused), in which case nothing changes.
   */
  useDevNonce(applicationId: string, deviceId: string, devNonce: number): Promise<boolean>;
  /** Replaces the device's session (a join) or updates its counters (an uplink, a downlink). */
  saveSession(applicationId: string, deviceId: string, session: NsSession): Promise<void>;
}

/** How a gateway received one uplink, as a packet forwarder reports it (`rxpk`). */
export interface RadioMetadata {
  gatewayIds: GatewayIds;
  /** Concentrator time of the end of the preamble, µs, wrapping at 2^32: downlinks are timed on it. */
  timestamp: number;
  rssi: number;
  channelRssi?: number;
  snr: number;
  /** Hz. */
  frequency: number;
  /** The gateway's channel index (the IF chain), reported in `rx_metadata`. */
  channelIndex?: number;
  modulation: Modulation;
  codingRate: CodingRate;
  /** When the frame reached Mote; `time` is the gateway's own GPS time, when it has one. */
  receivedAt: Date;
  time?: Date;
  location?: Location;
  /** Opaque to the network layer: the frontend's way back to this gateway (TTS's uplink token). */
  uplinkToken?: Uint8Array;
}

export type ReceiveWindowName = 'rx1' | 'rx2';

/** A frame to transmit in a class A receive window, from one gateway that heard the uplink. */
export interface TxRequest {
  phyPayload: Uint8Array;
  window: ReceiveWindowName;
  /** Seconds after the uplink (RECEIVE_DELAY1/2, JOIN_ACCEPT_DELAY1/2). */
  delay: number;
  frequency: number;
  dataRateIndex: number;
  modulation: Modulation;
  codingRate: CodingRate;
  /** dBm EIRP: the sub-band's limit. */
  power: number;
  gateway: GatewayIds;
  /** The uplink's concentrator timestamp plus the delay, µs, wrapping at 2^32. */
  timestamp: number;
  uplinkToken?: Uint8Array;
}

/** What a frame was dropped for, with attributes for the log and the console (`up/drop`). */
export type DropHandler = (
  ids: EndDeviceIds | undefined,
  errorName: string,
  details: Record<string, string | number | boolean>,
) => void;

export interface NsStats {
  received: number;
  joins: number;
  uplinks: number;
  downlinks: number;
  dropped: number;
  /** Drops by error name. */
  drops: Record<string, number>;
}

/** What the gateway frontend and the simulator hand frames to. */
export interface NetworkServer {
  /**
   * One frame, as heard by one or more gateways at once (a frontend that deduplicates, or the
   * simulator's virtual gateways). Resolves with what to transmit, if anything; never rejects on
   * a bad frame.
   */
  handleUplink(
    phyPayload: Uint8Array,
    radio: RadioMetadata | readonly RadioMetadata[],
  ): Promise<TxRequest | undefined>;
  stats(): NsStats;
}
