/**
 * The network layer's ports (docs/architecture.md): what it needs of device storage (declared
 * with the store port, server/store/ports.ts, and re-exported here), and what it offers the gateway frontend and
 * the simulator. Keys and identifiers are upper-case hex strings, as in server/ns/lorawan/.
 */
import type { Modulation } from '../../lib/bands';
import type { CodingRate } from '../../lib/lorawan/airtime';
import type { EndDeviceIds, GatewayIds, Location } from '../../lib/messages';

// The device registry is a store port (server/store/ports.ts): the store implements it, the
// network layer uses it, and no import runs from the store up to the network layer.
export type { MacVersion, NsDevice, NsDeviceRegistry, NsSession } from '../store/ports';

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
  /**
   * RFC 3339 in UTC with the gateway's own precision (a Semtech forwarder's GPS time has
   * microseconds, which a Date would cut to milliseconds; TTS publishes them).
   */
  time?: string;
  location?: Location;
  /** Opaque to the network layer: the frontend's way back to this gateway (TTS's uplink token). */
  uplinkToken?: Uint8Array;
  /**
   * False when this gateway cannot take a downlink now (a Semtech forwarder that has not sent
   * PULL_DATA recently): it is not chosen to answer through. Absent means it can.
   */
  downlinkPath?: boolean;
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

/**
 * What to transmit after an uplink: one frame and the windows that can carry it, in the order to
 * try them (RX1, then RX2 when the frame fits there too; a JoinAccept's JOIN_ACCEPT_DELAY1 window,
 * then DELAY2's). The frontend that transmits reports once, through `settle`, what became of it;
 * until then the downlink is not `down/sent`, and a failure puts it back at the head of the queue
 * (docs/behaviour.md §5.4).
 */
export interface Transmission {
  windows: readonly TxRequest[];
  settle(outcome: TxOutcome): Promise<void>;
}

/** `sent`: the gateway took it for that window (TX_ACK `NONE`, or no TX_ACK from a v1 forwarder). */
export type TxOutcome =
  | { sent: ReceiveWindowName }
  | { failed: string /* the last TX_ACK error (`TOO_LATE`, …) or `no_gateway_path` */ };

/** What a frame was dropped for, with attributes for the log and the console (`up/drop`). */
export type DropHandler = (
  ids: EndDeviceIds | undefined,
  errorName: string,
  details: Record<string, string | number | boolean>,
) => void;

/**
 * What became of one frame handed to `handleUplink`: the device it resolved to (when known, a drop
 * included) and the drop's error name. The gateway server shows it in a gateway's traffic.
 */
export interface FrameOutcome {
  ids?: EndDeviceIds;
  dropped?: string;
}

/** Called once per `handleUplink`, with the very PHYPayload it was given, before it resolves. */
export type FrameObserver = (phyPayload: Uint8Array, outcome: FrameOutcome) => void;

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
   * simulator's virtual gateways). Resolves with what to transmit, if anything (nothing when no
   * gateway that heard it has a downlink path); never rejects on a bad frame.
   */
  handleUplink(
    phyPayload: Uint8Array,
    radio: RadioMetadata | readonly RadioMetadata[],
  ): Promise<Transmission | undefined>;
  stats(): NsStats;
}
