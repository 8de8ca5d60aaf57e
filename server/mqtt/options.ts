import type { ConnectFailureOptions } from '../auth/connectFailures';

/** Limits of the MQTT frontend. Every one bounds memory or CPU that a client could otherwise take. */
export interface MqttServerOptions {
  /** Largest packet accepted, fixed header included; larger closes the connection. */
  maxPacketSize: number;
  /** Time from accept to a CONNECT before the connection is closed (ms). */
  connectTimeoutMs: number;
  /**
   * Bytes a session may have waiting in its socket. Beyond it QoS 0 messages are dropped and a
   * QoS 1 message disconnects the subscriber, so a reader that stalls never grows memory.
   */
  maxOutboundBytes: number;
  /** Unacknowledged server→client QoS 1 messages per session before it counts as stalled. */
  maxInflight: number;
  /** Inbound QoS 2 messages awaiting PUBREL per session. */
  maxAwaitingRelease: number;
  /** Inbound PUBLISH rate per connection (token bucket); excess is slowed by not reading. */
  publishRate: { perSecond: number; burst: number };
  /** CONNECT rate per remote IP; excess gets CONNACK 0x03. */
  connectRate: { perSecond: number; burst: number };
  /** Loopback clients skip the connect rate limit (tests, benchmarks, the console's own host). */
  exemptLoopback: boolean;
  /**
   * Wrong credentials (server/auth/connectFailures.ts): past `maxFailures` per (IP, username)
   * within `windowMs`, a failed CONNECT's refusal is held back `firstDelayMs`, doubling up to
   * `maxDelayMs`. Right credentials are never refused. No loopback exemption.
   */
  authFailures: ConnectFailureOptions;
  /**
   * Delayed refusals held at once per IP; past it a failed CONNECT is refused at once, so a
   * parallel flood cannot fill `maxPendingConnections` with sockets waiting out their delay.
   */
  maxHeldRefusalsPerIp: number;
  /** More concurrent sessions than this get CONNACK 0x03. */
  maxConnections: number;
  /**
   * Accepted sockets that have not finished CONNECT; past it a socket from an address with none
   * pending replaces the oldest of the busiest address, any other is closed (server/mqtt/pending.ts).
   */
  maxPendingConnections: number;
  /** Sockets that have not finished CONNECT per source address; more are closed at once. */
  maxPendingPerIp: number;
  /** The CONNECT deadline while half of `maxPendingConnections` is pending (ms). */
  pressuredConnectTimeoutMs: number;
  /**
   * Distinct filters per session (`MOTE_MQTT_MAX_SUBSCRIPTIONS`); one more gets SUBACK 0x80
   * (MQTT 5: 0x97), while subscribing an existing filter again always succeeds.
   */
  maxSubscriptions: number;
  /** Packets parsed but not yet handled before the socket stops being read. */
  maxQueuedPackets: number;
  /** `down/push|replace` of one connection being stored at once before it stops being read. */
  maxDownlinksInFlight: number;
  /** The tenant of TTS Cloud style usernames, `{app}@{tenant}` (`MOTE_TENANT_ID`). */
  tenantId: string;
  /** How often keepalive, connect timeouts and credential expiry are checked (ms). */
  sweepIntervalMs: number;
}

export const defaultMqttServerOptions: MqttServerOptions = {
  maxPacketSize: 256 * 1024,
  connectTimeoutMs: 10_000,
  maxOutboundBytes: 4 * 1024 * 1024,
  maxInflight: 10_000,
  maxAwaitingRelease: 1_000,
  publishRate: { perSecond: 1_000, burst: 2_000 },
  connectRate: { perSecond: 20, burst: 100 },
  exemptLoopback: true,
  authFailures: { maxFailures: 10, windowMs: 60_000, firstDelayMs: 250, maxDelayMs: 4_000 },
  maxHeldRefusalsPerIp: 50,
  maxConnections: 20_000,
  maxPendingConnections: 1_000,
  maxPendingPerIp: 64,
  pressuredConnectTimeoutMs: 2_000,
  maxSubscriptions: 10_000,
  maxQueuedPackets: 1_000,
  maxDownlinksInFlight: 64,
  sweepIntervalMs: 250,
  tenantId: 'ttn',
};

export function resolveOptions(partial: Partial<MqttServerOptions> = {}): MqttServerOptions {
  const options = { ...defaultMqttServerOptions, ...partial };
  // Packet identifiers are 16-bit and never 0 [MQTT-2.3.1-1].
  options.maxInflight = Math.min(options.maxInflight, 0xffff);
  return options;
}
