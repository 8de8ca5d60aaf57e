/** What the UDP packet handlers share: one object, passed to each, as the network layer's NsCore. */
import type { Clock } from '../../clock';
import type { Logger } from '../../log';
import type { Gateway } from '../../store/ports';
import { type GatewayCluster, within } from '../cluster';
import type { GatewayConnections, Remote } from '../connections';
import type { Merger } from '../merge';
import type { GatewayLookup } from '../registry';
import type { GatewayServerStats } from '../stats';

export interface UdpContext {
  connections: GatewayConnections;
  lookup: GatewayLookup;
  merger: Merger;
  stats: GatewayServerStats;
  clock: Clock;
  log: Logger;
  /** A gateway pulls for three of these before it has no downlink path. */
  keepaliveMs: number;
  /** Absent: this instance is alone. */
  cluster?: GatewayCluster;
  send(datagram: Buffer, to: Remote): void;
}

/** Far inside a class A RX1 delay; Redis answers in well under a millisecond when it is well. */
const PULL_HOLDER_WAIT_MS = 300;

/** Whether a downlink can reach `eui`: its latest PULL_DATA came here, or to another instance. */
export async function downlinkPath(ctx: UdpContext, eui: string): Promise<boolean> {
  if (ctx.connections.hasDownlinkPath(eui)) return true;
  if (!ctx.cluster) return false;
  try {
    return (await within(ctx.cluster.pullHolder(eui), PULL_HOLDER_WAIT_MS)) !== undefined;
  } catch {
    // Redis away or hung: only what this instance knows.
    return false;
  }
}

/**
 * The registered gateway, undefined for a stranger, null when the registry failed: the datagram
 * was acknowledged already and its content is dropped (logged, counted in `errors`).
 */
export async function identify(
  ctx: UdpContext,
  eui: string,
  from: Remote,
): Promise<Gateway | undefined | null> {
  let gateway: Gateway | undefined;
  try {
    gateway = await ctx.lookup.find(eui);
  } catch (err) {
    ctx.stats.errors++;
    ctx.log.warn({ err, eui }, 'gateway registry lookup failed');
    return null;
  }
  ctx.connections.seen(eui, from, gateway?.gateway_id);
  return gateway;
}
