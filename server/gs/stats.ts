/** Counters of the gateway server, for the log, the console and tests. */
export interface GatewayServerStats {
  /** Datagrams that decoded (any packet type). */
  datagrams: number;
  /** rxpk objects in PUSH_DATA, from any gateway. */
  received: number;
  /** rxpk handed to the merge window (registered gateway, CRC ok, fields valid). */
  forwarded: number;
  /** Calls to the network layer: one per frame, however many gateways heard it. */
  frames: number;
  /** rxpk with `stat` −1, dropped. */
  crcFailed: number;
  /** Datagrams that are not Semtech UDP v2, and rxpk with missing or invalid fields. */
  malformed: number;
  /** Datagrams over their source's rate, dropped before decoding. */
  rateLimited: number;
  /** rxpk from gateways not in the registry, dropped. */
  unregistered: number;
  /** PULL_RESP sent (each window tried counts). */
  downlinks: number;
  /** Downlinks that got no TX_ACK in time, taken as sent. */
  txAckTimeouts: number;
  /** Network layer calls that rejected, or registry lookups that failed. */
  errors: number;
  /** Cluster: frames another instance merged, this one's copies handed over to it. */
  handedOver: number;
  /** Cluster: downlinks sent through a gateway pulling on another instance. */
  downlinksRelayed: number;
}

export const emptyStats = (): GatewayServerStats => ({
  datagrams: 0,
  received: 0,
  forwarded: 0,
  frames: 0,
  crcFailed: 0,
  malformed: 0,
  rateLimited: 0,
  unregistered: 0,
  downlinks: 0,
  txAckTimeouts: 0,
  errors: 0,
  handedOver: 0,
  downlinksRelayed: 0,
});
