/**
 * The gateway server: frontends (Semtech UDP today; Basic Station would be a second one) feed one
 * merge window, the merge window feeds the network layer once per frame, and what the network
 * layer wants transmitted goes back through the frontend that owns the gateway.
 *
 *   UDP datagram → frontend → rxpk → merge (200 ms) → ns.handleUplink → Transmission → PULL_RESP
 */
import type { AddressInfo } from 'node:net';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { Rate } from '../mqtt/rate-limit';
import type { RadioMetadata, Transmission } from '../ns/ports';
import type { GatewayStore } from '../store/ports';
import { GatewayConnections } from './connections';
import { createMerger, DEFAULT_MERGE_WINDOW_MS } from './merge';
import type { GatewayServer } from './ports';
import { cachedLookup, DEFAULT_REGISTRY_TTL_MS } from './registry';
import { emptyStats, type GatewayServerStats } from './stats';
import { UdpFrontend } from './udp/frontend';

export const DEFAULT_KEEPALIVE_SECONDS = 10;

/** The network layer as the gateway server calls it: one frame, every gateway that heard it. */
export interface UplinkHandler {
  handleUplink(phyPayload: Uint8Array, radios: readonly RadioMetadata[]): Promise<Transmission | undefined>;
}

export interface GatewayServerOptions {
  host: string;
  /** 1700 by convention; 0 picks a free port (tests). */
  port: number;
  /** The forwarders' `keepalive_interval`: a gateway can take downlinks for 3 of them after a PULL_DATA. */
  keepaliveSeconds?: number;
  txAckTimeoutMs?: number;
  perSourceRate?: Rate;
  mergeWindowMs?: number;
  registryTtlMs?: number;
}

export interface GatewayServerDeps {
  ns: UplinkHandler;
  gateways: Pick<GatewayStore, 'findByEui'>;
  clock: Clock;
  log: Logger;
  options: GatewayServerOptions;
}

export interface RunningGatewayServer extends GatewayServer {
  listen(): Promise<AddressInfo>;
  close(): Promise<void>;
  address(): AddressInfo;
  stats(): GatewayServerStats;
}

export function createGatewayServer(deps: GatewayServerDeps): RunningGatewayServer {
  const { ns, clock, options } = deps;
  const log = deps.log.child({ component: 'gs' });
  const stats = emptyStats();
  const keepaliveMs = (options.keepaliveSeconds ?? DEFAULT_KEEPALIVE_SECONDS) * 1000;
  const connections = new GatewayConnections(clock, keepaliveMs);
  const lookup = cachedLookup(deps.gateways, clock, options.registryTtlMs ?? DEFAULT_REGISTRY_TTL_MS);

  const forward = (phyPayload: Uint8Array, radios: readonly RadioMetadata[]) => {
    stats.frames++;
    ns.handleUplink(phyPayload, radios).then(
      (tx) => {
        if (tx) frontend.transmit(tx);
      },
      (err: unknown) => {
        stats.errors++;
        log.error({ err }, 'network layer rejected an uplink');
      },
    );
  };
  const merger = createMerger(forward, options.mergeWindowMs ?? DEFAULT_MERGE_WINDOW_MS);
  const frontend = new UdpFrontend({ connections, lookup, merger, stats, clock, log }, options);

  return {
    listen: async () => {
      const address = await frontend.listen();
      log.info({ host: address.address, port: address.port }, 'semtech udp listening');
      return address;
    },
    close: async () => {
      merger.flush();
      await frontend.close();
    },
    address: () => frontend.address(),
    stats: () => ({ ...stats }),
    connections: () => connections.list(),
    connection: (eui) => connections.get(eui.toUpperCase()),
    unregistered: () => connections.list().filter((c) => !c.gatewayId),
    traffic: (eui, afterSeq) => connections.traffic(eui.toUpperCase(), afterSeq),
    invalidate: (eui) => lookup.invalidate(eui),
  };
}
