/** What the composition root (server/mote.ts) and the HTTP API need of the gateway server. */

export { DEFAULT_MERGE_WINDOW_MS } from './merge';
export type { GatewayConnection, GatewayServer, GatewayTrafficEvent } from './ports';
export {
  createGatewayServer,
  DEFAULT_KEEPALIVE_SECONDS,
  type GatewayServerDeps,
  type GatewayServerOptions,
  type RunningGatewayServer,
  type UplinkHandler,
} from './server';
export type { GatewayServerStats } from './stats';
export { DEFAULT_TX_ACK_TIMEOUT_MS } from './udp/downlink';
export { DEFAULT_PER_SOURCE_RATE } from './udp/frontend';
