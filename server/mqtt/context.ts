/** What every session and packet handler shares: the ports, the limits and the registries. */
import type { ConnectFailures } from '../auth/connectFailures';
import type { Logger } from '../log';
import type { Connection } from './connection';
import type { MqttServerOptions } from './options';
import type { PendingConnections } from './pending';
import type { MqttPorts } from './ports';
import type { KeyedRateLimiter } from './rate-limit';
import type { SessionRegistry } from './sessions';

export interface MqttCounters {
  /** QoS 0 messages not sent because the subscriber's buffer was full. */
  dropped: number;
  /** Subscribers closed because they could not keep up with QoS 1. */
  slowDisconnects: number;
  /** CONNECTs answered with a non-zero CONNACK. */
  refused: number;
  /** Refusals of wrong credentials held back because their (IP, username) failed too often. */
  throttled: number;
  /** Connections closed for a malformed or oversized packet or a protocol violation. */
  protocolErrors: number;
  publishesReceived: number;
  /** Inbound PUBLISHes dropped: wrong topic, other application, or missing right. */
  publishesRejected: number;
  messagesSent: number;
}

export interface MqttContext {
  readonly ports: MqttPorts;
  readonly options: MqttServerOptions;
  readonly log: Logger;
  readonly sessions: SessionRegistry;
  /** Every accepted transport, connected or not, for the timer sweep and shutdown. */
  readonly connections: Set<Connection>;
  /** Connections that have not finished CONNECT, per source address. */
  readonly pending: PendingConnections;
  readonly connectLimiter: KeyedRateLimiter;
  /** Refused credentials per (IP, username) (options.authFailures). */
  readonly connectFailures: ConnectFailures;
  /** Delayed refusals now waiting, per IP (options.maxHeldRefusalsPerIp). */
  readonly heldRefusals: Map<string, number>;
  readonly counters: MqttCounters;
  now(): number;
}

export const newCounters = (): MqttCounters => ({
  dropped: 0,
  slowDisconnects: 0,
  refused: 0,
  throttled: 0,
  protocolErrors: 0,
  publishesReceived: 0,
  publishesRejected: 0,
  messagesSent: 0,
});
