/**
 * What the gateway server knows of each gateway it heard, registered or not: the GatewayConnection
 * the console reads, where its downlinks go, and a bounded ring of its recent traffic.
 */
import type { Clock } from '../clock';
import type { GatewayConnection, GatewayTrafficEvent } from './ports';

export const TRAFFIC_RING = 200;
/** Garbage with random EUIs must not grow the table without bound: the stalest stranger goes. */
export const MAX_UNREGISTERED = 1000;

export interface Remote {
  address: string;
  port: number;
}

interface State {
  connection: Omit<GatewayConnection, 'connected'>;
  /** Where PULL_RESP goes: the source of the latest PULL_DATA (NAT keeps that mapping open). */
  pullFrom?: Remote;
  lastPullMs?: number;
  ring: GatewayTrafficEvent[];
  seq: number;
}

export type TrafficInput = Omit<GatewayTrafficEvent, 'seq' | 'time'>;

export class GatewayConnections {
  private readonly states = new Map<string, State>();

  constructor(
    private readonly clock: Clock,
    private readonly keepaliveMs: number,
    private readonly ringSize = TRAFFIC_RING,
    private readonly maxUnregistered = MAX_UNREGISTERED,
  ) {}

  /** A datagram from `eui`: creates or refreshes its connection. */
  seen(eui: string, from: Remote, gatewayId: string | undefined): void {
    const now = this.clock.now().toISOString();
    let state = this.states.get(eui);
    if (!state) {
      if (!gatewayId) this.evictStrangers();
      state = {
        connection: {
          eui,
          protocol: 'udp',
          firstSeenAt: now,
          lastSeenAt: now,
          uplinks: 0,
          uplinksCrcFailed: 0,
          downlinks: 0,
          txAcks: {},
        },
        ring: [],
        seq: 0,
      };
      this.states.set(eui, state);
    }
    const c = state.connection;
    c.lastSeenAt = now;
    c.remoteAddress = from.address.includes(':')
      ? `[${from.address}]:${from.port}`
      : `${from.address}:${from.port}`;
    this.identified(eui, gatewayId);
  }

  /** What the registry says of a gateway heard before: registered (its ID) or not. */
  identified(eui: string, gatewayId: string | undefined): void {
    const c = this.states.get(eui)?.connection;
    if (!c) return;
    if (gatewayId) c.gatewayId = gatewayId;
    else delete c.gatewayId;
  }

  pulled(eui: string, from: Remote): void {
    const state = this.states.get(eui);
    if (!state) return;
    state.pullFrom = from;
    const now = this.clock.now();
    state.lastPullMs = now.getTime();
    state.connection.lastPullAt = now.toISOString();
  }

  /** True while the latest PULL_DATA is within three keepalive intervals. */
  hasDownlinkPath(eui: string): boolean {
    const last = this.states.get(eui)?.lastPullMs;
    return last !== undefined && this.clock.now().getTime() - last <= 3 * this.keepaliveMs;
  }

  downlinkAddress(eui: string): Remote | undefined {
    return this.hasDownlinkPath(eui) ? this.states.get(eui)?.pullFrom : undefined;
  }

  /** The EUI of a registered gateway by its ID, for a TxRequest that names only the ID. */
  euiOf(gatewayId: string): string | undefined {
    for (const [eui, s] of this.states) if (s.connection.gatewayId === gatewayId) return eui;
    return undefined;
  }

  status(eui: string, stat: Record<string, unknown>): void {
    const c = this.states.get(eui)?.connection;
    if (!c) return;
    c.lastStatus = stat;
    c.lastStatusAt = this.clock.now().toISOString();
    const { lati, long, alti } = stat;
    // Forwarders without a GPS fix report 0/0 or leave the fields out.
    if (typeof lati === 'number' && typeof long === 'number' && (lati !== 0 || long !== 0)) {
      c.location = {
        latitude: lati,
        longitude: long,
        ...(typeof alti === 'number' ? { altitude: alti } : {}),
      };
    }
  }

  count(eui: string, what: 'uplinks' | 'uplinksCrcFailed' | 'downlinks'): void {
    const c = this.states.get(eui)?.connection;
    if (!c) return;
    c[what]++;
    if (what === 'uplinks') c.lastUplinkAt = this.clock.now().toISOString();
    if (what === 'downlinks') c.lastDownlinkAt = this.clock.now().toISOString();
  }

  txAck(eui: string, error: string): void {
    const c = this.states.get(eui)?.connection;
    if (c) c.txAcks[error] = (c.txAcks[error] ?? 0) + 1;
  }

  location(eui: string): GatewayConnection['location'] {
    return this.states.get(eui)?.connection.location;
  }

  /** `time` defaults to now; an uplink recorded after the network layer's verdict keeps its arrival. */
  record(eui: string, event: TrafficInput, time = this.clock.now().toISOString()): void {
    const state = this.states.get(eui);
    if (!state) return;
    state.seq += 1;
    state.ring.push({ seq: state.seq, time, ...event });
    if (state.ring.length > this.ringSize) state.ring.shift();
  }

  traffic(eui: string, afterSeq = 0): GatewayTrafficEvent[] {
    return (this.states.get(eui)?.ring ?? []).filter((e) => e.seq > afterSeq);
  }

  get(eui: string): GatewayConnection | undefined {
    const state = this.states.get(eui);
    return state && this.snapshot(eui, state);
  }

  /** Newest first. */
  list(): GatewayConnection[] {
    return [...this.states]
      .map(([eui, s]) => this.snapshot(eui, s))
      .sort((a, b) => b.lastSeenAt.localeCompare(a.lastSeenAt));
  }

  private snapshot(eui: string, s: State): GatewayConnection {
    const c = s.connection;
    return { ...c, txAcks: { ...c.txAcks }, connected: this.hasDownlinkPath(eui) };
  }

  private evictStrangers(): void {
    const strangers = [...this.states].filter(([, s]) => !s.connection.gatewayId);
    if (strangers.length < this.maxUnregistered) return;
    strangers.sort(([, a], [, b]) => a.connection.lastSeenAt.localeCompare(b.connection.lastSeenAt));
    this.states.delete(strangers[0]![0]);
  }
}
