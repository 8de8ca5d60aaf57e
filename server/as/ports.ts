import type { MoteError } from '../../lib/errors';
import type {
  ApplicationDownlink,
  ApplicationJoinAccept,
  ApplicationUplink,
  EndDeviceIds,
} from '../../lib/messages';
import type { DownlinkOperation } from '../../lib/topics';

export type { DownlinkOperation };

/**
 * What frontends may ask of the AS core (as TTS's io/io.go: the core declares the interface,
 * frontends implement their side of it): the HTTP API, the MQTT server and the simulator depend
 * on this interface, not on the core's insides. Frontends parse their own wire formats into
 * these typed calls; a queue operation throws a MoteError and changes nothing when it fails.
 */
export interface DownlinkQueueOps {
  /** Appends; resolves once the items are stored (`down/queued` published per item). */
  push(applicationId: string, deviceId: string, downlinks: ApplicationDownlink[]): Promise<void>;
  /** Swaps the whole queue; `[]` clears it. */
  replace(applicationId: string, deviceId: string, downlinks: ApplicationDownlink[]): Promise<void>;
  /** The queue as proto-JSON texts, in sending order (cheap to return as JSON unparsed). */
  list(applicationId: string, deviceId: string): Promise<string[]>;
  clear(applicationId: string, deviceId: string): Promise<void>;
  /**
   * A request that failed (bad input a frontend could not parse, or a queue operation that threw)
   * is answered with `down/failed` on the device's topic (docs/behaviour.md §5): `downlink` is
   * what could be read of it, so a client can match the failure to its request.
   */
  reject(applicationId: string, deviceId: string, downlink: ApplicationDownlink, error: MoteError): void;
}

/** What a network server tells the AS about the class A receive windows after an uplink. */
export interface ReceiveWindow {
  /** The uplink's ACK bit: it acknowledges the pending confirmed downlink, if any. */
  acknowledged: boolean;
  /** RX1 uses the uplink's data rate in EU868 (RX1DROffset 0); it bounds the payload. */
  dataRateIndex: number;
  /** The uplink's correlation IDs, carried by `down/ack` and `down/nack` (docs/behaviour.md §4). */
  uplinkCorrelationIds: readonly string[];
  /**
   * The FCntDown of the frame a network server builds in this window: the downlink sent goes out
   * with it and `down/sent` publishes it. Absent (tests that drive the AS alone), the AS counts
   * in its session.
   */
  fCntDown?: number;
  /**
   * The largest FRMPayload the network server can send in this window, from the device's
   * frequency plan. Absent, the EU868 limit of `dataRateIndex`.
   */
  maxFrmPayload?: number;
  /**
   * False when no gateway can transmit after this uplink: the pending confirmed downlink is
   * settled with the ACK bit, but nothing is taken from the queue.
   */
  transmit?: boolean;
}

/**
 * The downlink handed out for the window, if any: in flight until `settleWindow` says what became
 * of it (docs/behaviour.md §5.4).
 */
export interface DownlinkTx {
  /** With the `f_cnt` and `session_key_id` it goes out with. */
  downlink: ApplicationDownlink;
  /** More items stay queued behind it: the frame's FPending (LoRaWAN 1.0.3 §4.3.1.7). */
  more: boolean;
}

/** What the network side reports of the downlink in flight: transmitted in a window, or not. */
export type WindowOutcome = { sent: 'rx1' | 'rx2' } | { failed: string };

export interface ApplicationServer {
  /** Network traffic (the simulator now; real gateways later). Resolve once published. */
  handleJoin(
    ids: EndDeviceIds,
    join: ApplicationJoinAccept,
    correlationIds: readonly string[],
  ): Promise<void>;
  /**
   * Returns the uplink's correlation IDs including the AS's own `as:up:…`. Last-seen is not
   * recorded here: the network layer stores it with the frame's counter (saveCounters).
   */
  handleUplink(
    ids: EndDeviceIds,
    uplink: ApplicationUplink,
    correlationIds: readonly string[],
  ): Promise<string[]>;
  /**
   * Class A RX1/RX2 after an uplink: settle the pending confirmed downlink, hand out the next,
   * which stays in flight until `settleWindow`.
   */
  receiveWindow(ids: EndDeviceIds, window: ReceiveWindow): Promise<DownlinkTx | undefined>;
  /**
   * The outcome of the downlink `receiveWindow` handed out with FCnt `fCnt`: sent → `down/sent`
   * (a confirmed one then awaits its ACK); failed → back at the head of the queue. A settle for a
   * downlink no longer in flight (a later window requeued it) changes nothing.
   */
  settleWindow(ids: EndDeviceIds, fCnt: number, outcome: WindowOutcome): Promise<void>;
  /** `POST …/up/simulate`: a `{"uplink_message": …}` body, published with `simulated: true`. */
  simulateUplink(applicationId: string, deviceId: string, body: unknown): Promise<void>;
  downlinks: DownlinkQueueOps;
  /** Writes what is batched (last-seen times); tests call it instead of waiting. */
  flush(): Promise<void>;
  close(): Promise<void>;
}
