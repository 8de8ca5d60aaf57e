/**
 * The gateway server: frontends (Semtech UDP today; Basic Station would be a second one) feed one
 * merge window, the merge window feeds the network layer once per frame, and what the network
 * layer wants transmitted goes back through the frontend that owns the gateway.
 *
 *   UDP datagram → frontend → rxpk → merge (200 ms) → ns.handleUplink → Transmission → PULL_RESP
 *
 * In a cluster (`cluster`), the merge window and the downlink path span the instances
 * (server/gs/cluster.ts); alone, each gateway server sees only its own gateways.
 *
 * The network layer reports what became of each frame (`frameHandled`, wired by the composition
 * root to its `onFrameHandled`), so the gateways' traffic names the device or the drop.
 */
import type { AddressInfo } from 'node:net';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { Rate } from '../mqtt/rate-limit';
import type { FrameOutcome, RadioMetadata, Transmission } from '../ns/ports';
import type { GatewayStore } from '../store/ports';
import { type GatewayCluster, within } from './cluster';
import { GatewayConnections } from './connections';
import { createMerger, DEFAULT_MERGE_WINDOW_MS } from './merge';
import { type PendingUp, PendingUplinks } from './outcomes';
import type { GatewayConnection, GatewayServer, GatewayView } from './ports';
import { cachedLookup, DEFAULT_REGISTRY_TTL_MS } from './registry';
import { emptyStats, type GatewayServerStats } from './stats';
import { UdpFrontend } from './udp/frontend';

export const DEFAULT_KEEPALIVE_SECONDS = 10;
/** How long a console request waits for the instance a gateway pulls on, per step. */
const VIEW_TIMEOUT_MS = 1_000;
/** How often an instance shares the unregistered gateways it heard. */
const UNREGISTERED_SHARE_MS = 5_000;

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
  /** What the instances of a cluster share (Redis); absent when this one is alone. */
  cluster?: GatewayCluster;
}

export interface RunningGatewayServer extends GatewayServer {
  listen(): Promise<AddressInfo>;
  close(): Promise<void>;
  address(): AddressInfo;
  stats(): GatewayServerStats;
  /** The network layer's verdict on a frame this server handed it (its `onFrameHandled`). */
  frameHandled(phyPayload: Uint8Array, outcome: FrameOutcome): void;
}

export function createGatewayServer(deps: GatewayServerDeps): RunningGatewayServer {
  const { ns, clock, options } = deps;
  const log = deps.log.child({ component: 'gs' });
  const stats = emptyStats();
  const keepaliveMs = (options.keepaliveSeconds ?? DEFAULT_KEEPALIVE_SECONDS) * 1000;
  const connections = new GatewayConnections(clock, keepaliveMs);
  const lookup = cachedLookup(deps.gateways, clock, options.registryTtlMs ?? DEFAULT_REGISTRY_TTL_MS);

  const pending = new PendingUplinks(connections);

  const forward = (phyPayload: Uint8Array, radios: readonly RadioMetadata[], ups: readonly PendingUp[]) => {
    stats.frames++;
    pending.forwarded(phyPayload, ups);
    ns.handleUplink(phyPayload, radios).then(
      (tx) => {
        pending.settled(phyPayload);
        if (tx) frontend.transmit(tx);
      },
      (err: unknown) => {
        pending.settled(phyPayload);
        stats.errors++;
        log.error({ err }, 'network layer rejected an uplink');
      },
    );
  };
  const cluster = deps.cluster;
  let mergeWarnedAt = Number.NEGATIVE_INFINITY;
  const merger = createMerger(
    forward,
    options.mergeWindowMs ?? DEFAULT_MERGE_WINDOW_MS,
    cluster && {
      windows: cluster.windows,
      handedOver: (ups) => {
        stats.handedOver++;
        for (const up of ups) connections.record(up.eui, up.event, up.time);
      },
      // Redis away: the frame is merged with the copies heard here (docs/scale-out.md). Once
      // a minute in the log: an outage would otherwise log every frame.
      onError: (err) => {
        const now = Date.now();
        if (now - mergeWarnedAt < 60_000) return;
        mergeWarnedAt = now;
        log.warn({ err }, 'cluster merge window unavailable: frames merged per instance');
      },
    },
  );
  const frontend = new UdpFrontend(
    { connections, lookup, merger, stats, clock, log, keepaliveMs, ...(cluster ? { cluster } : {}) },
    options,
  );
  cluster?.onRelay((tx) => frontend.relayed(tx));
  const viewHere = (eui: string, afterSeq?: number): GatewayView => {
    const connection = connections.get(eui);
    return { ...(connection ? { connection } : {}), traffic: connections.traffic(eui, afterSeq) };
  };
  cluster?.onView(viewHere);
  /** Gateways heard here that are not registered. */
  const strangers = () => connections.list().filter((c) => !c.gatewayId);
  // The unregistered gateways heard here since the last share, for the other instances' lists.
  let sharedAt = 0;
  const shareTimer = cluster
    ? setInterval(() => {
        const since = new Date(sharedAt).toISOString();
        sharedAt = clock.now().getTime();
        const heard = strangers().filter((c) => c.lastSeenAt >= since);
        cluster
          .shareUnregistered(heard)
          .catch((err: unknown) => log.debug({ err }, 'unregistered gateways not shared'));
      }, UNREGISTERED_SHARE_MS)
    : undefined;
  shareTimer?.unref();

  return {
    listen: async () => {
      const address = await frontend.listen();
      log.info({ host: address.address, port: address.port }, 'semtech udp listening');
      return address;
    },
    close: async () => {
      clearInterval(shareTimer);
      merger.flush();
      await frontend.close();
    },
    address: () => frontend.address(),
    stats: () => ({ ...stats }),
    frameHandled: (phyPayload, outcome) => pending.handled(phyPayload, outcome),
    connections: () => connections.list(),
    connection: (eui) => connections.get(eui.toUpperCase()),
    unregistered: strangers,
    async unregisteredAnywhere() {
      const here = strangers();
      if (!cluster) return here;
      let shared: GatewayConnection[] = [];
      try {
        shared = await within(cluster.unregistered(), VIEW_TIMEOUT_MS);
      } catch (err) {
        log.debug({ err }, 'unregistered gateways: cluster unavailable, this instance answers');
      }
      // One entry per EUI: the newest instance's view of it, first heard when any instance first did.
      const byEui = new Map<string, GatewayConnection>();
      for (const c of [...shared, ...here]) {
        const seen = byEui.get(c.eui);
        const newest = !seen || c.lastSeenAt >= seen.lastSeenAt ? c : seen;
        const firstSeenAt = seen && seen.firstSeenAt < c.firstSeenAt ? seen.firstSeenAt : c.firstSeenAt;
        byEui.set(c.eui, { ...newest, firstSeenAt });
      }
      return [...byEui.values()].sort((a, b) => b.lastSeenAt.localeCompare(a.lastSeenAt));
    },
    traffic: (eui, afterSeq) => connections.traffic(eui.toUpperCase(), afterSeq),
    async view(eui, afterSeq) {
      const key = eui.toUpperCase();
      if (!cluster) return viewHere(key, afterSeq);
      try {
        const holder = await within(cluster.pullHolder(key), VIEW_TIMEOUT_MS);
        if (holder)
          return (await cluster.view(holder, key, afterSeq, VIEW_TIMEOUT_MS)) ?? viewHere(key, afterSeq);
      } catch (err) {
        log.debug({ err, eui: key }, 'gateway view: cluster unavailable, this instance answers');
      }
      return viewHere(key, afterSeq);
    },
    invalidate: (eui) => {
      const key = eui.toUpperCase();
      lookup.invalidate(key);
      if (!connections.get(key)) return;
      lookup.find(key).then(
        (gateway) => connections.identified(key, gateway?.gateway_id),
        (err: unknown) => log.warn({ err, eui: key }, 'gateway registry lookup failed'),
      );
    },
  };
}
