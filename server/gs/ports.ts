/**
 * The gateway server's ports (docs/architecture.md): what the console and the HTTP API read of
 * connected gateways. Frontends (Semtech UDP now, Basic Station later) feed one GatewayServer;
 * the registry itself is the store's (server/store/ports.ts `GatewayStore`).
 */

/** A gateway as the gateway server last heard it, registered or not. */
export interface GatewayConnection {
  /** Upper-case hex EUI. */
  eui: string;
  /** Set when the EUI belongs to a registered gateway. */
  gatewayId?: string;
  /** `udp` today; `basic_station` later. */
  protocol: 'udp';
  /** The address datagrams come from (host:port). */
  remoteAddress?: string;
  firstSeenAt: string;
  lastSeenAt: string;
  /** The latest PULL_DATA: a gateway can take downlinks while it has pulled recently. */
  lastPullAt?: string;
  /** True while a PULL_DATA came within the last 3 keepalive intervals (30 s by default). */
  connected: boolean;
  uplinks: number;
  lastUplinkAt?: string;
  /** Uplinks with a bad CRC (`stat` −1), dropped. */
  uplinksCrcFailed: number;
  downlinks: number;
  lastDownlinkAt?: string;
  /** TX_ACK results by error name (`NONE`, `TOO_LATE`, …). */
  txAcks: Record<string, number>;
  /** The latest `stat` object, as sent (rxnb, rxok, rxfw, ackr, dwnb, txnb, lati, long, alti, time). */
  lastStatus?: Record<string, unknown>;
  lastStatusAt?: string;
  /** From the latest `stat`, when it reported a position. */
  location?: { latitude: number; longitude: number; altitude?: number };
}

/** One thing that went through a gateway, for its live traffic view. */
export interface GatewayTrafficEvent {
  /** Increases by one per event of this gateway: `traffic(eui, after)` returns the newer ones. */
  seq: number;
  /** When it happened: for an uplink, when it was received (it is recorded once the network layer decided). */
  time: string;
  kind: 'up' | 'down' | 'tx_ack' | 'status';
  /** up: the frame's MType, DevAddr/DevEUI and the device it resolved to, when it did. */
  mType?: string;
  devAddr?: string;
  devEui?: string;
  deviceIds?: { application_id: string; device_id: string };
  fCnt?: number;
  rssi?: number;
  snr?: number;
  frequency?: number;
  dataRate?: string;
  size?: number;
  /** down: the window; tx_ack: the gateway's result (`NONE`, `TOO_LATE`, …). */
  window?: 'rx1' | 'rx2';
  result?: string;
  /** up: why the network layer dropped it, when it did (`mic_mismatch`, `crc_failed`, …). */
  dropped?: string;
}

/** A gateway as its console page shows it: the connection (none until heard) and recent traffic. */
export interface GatewayView {
  connection?: GatewayConnection;
  traffic: GatewayTrafficEvent[];
}

export interface GatewayServer {
  /** Every gateway heard since the start, registered or not, newest first. */
  connections(): GatewayConnection[];
  connection(eui: string): GatewayConnection | undefined;
  /** Gateways that sent datagrams here but are not registered: acknowledged, their uplinks dropped. */
  unregistered(): GatewayConnection[];
  /**
   * The same, heard by any instance of the cluster (each shares its own every few seconds),
   * newest first, one entry per EUI; this instance's alone when it is alone.
   */
  unregisteredAnywhere(): Promise<GatewayConnection[]>;
  /** The gateway's recent traffic (a bounded ring), oldest first, after `afterSeq` when given. */
  traffic(eui: string, afterSeq?: number): GatewayTrafficEvent[];
  /**
   * The connection and traffic (after `afterSeq`) from the instance the gateway pulls on: this
   * one, or in a cluster the one holding its PULL_DATA address (docs/scale-out.md), so every
   * instance's console shows a gateway as it is. What this instance heard, if that one is silent.
   */
  view(eui: string, afterSeq?: number): Promise<GatewayView>;
  /**
   * Forget cached registry lookups for this EUI (after create/update/delete of a gateway); a
   * gateway heard before is looked up again at once, so it leaves (or joins) `unregistered()`.
   */
  invalidate(eui: string): void;
}
