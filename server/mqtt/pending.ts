/**
 * Connections that have not finished CONNECT, by source address (issue 17, item 1). One global
 * cap let 1 000 silent sockets from one address lock every other client out. Here a newcomer is
 * always let in, and makes room when needed: past `perIp`, its own address's oldest pending
 * socket is closed; past the global `max`, the oldest of its own address if it has any, else of
 * the address holding the most. So a flood only ever displaces itself, an address that is not
 * flooding always gets through, and even a client behind the flooder's NAT gets in (its socket is
 * the newest). Under pressure (half the global cap pending) silent sockets are closed sooner.
 */

export interface PendingLimits {
  /** Pending connections in all (`MOTE_MQTT_MAX_PENDING`). */
  max: number;
  /** Pending connections per source address (`MOTE_MQTT_MAX_PENDING_PER_IP`). */
  perIp: number;
  /** Time from accept to CONNECT, normally (`MOTE_MQTT_CONNECT_TIMEOUT_S`). */
  connectTimeoutMs: number;
  /** Time from accept to CONNECT while at least half of `max` is pending. */
  pressuredConnectTimeoutMs: number;
}

/** What the registry needs of a connection: where it came from, and a way to drop it. */
export interface PendingConnection {
  readonly remoteAddress: string;
  evict(): void;
}

export class PendingConnections {
  private readonly byAddress = new Map<string, Set<PendingConnection>>();
  private total = 0;

  constructor(private readonly limits: PendingLimits) {}

  get size(): number {
    return this.total;
  }

  /** Makes room for a socket from `address`, evicting if needed; false if none could be made. */
  admit(address: string): boolean {
    const mine = this.byAddress.get(address);
    const full = this.total >= this.limits.max;
    if (!full && (mine?.size ?? 0) < this.limits.perIp) return true;
    const victim = mine && mine.size > 0 ? oldest(mine) : this.oldestOfBusiest();
    if (!victim) return false;
    victim.evict();
    // evict() settles the victim synchronously; if it did not, refuse rather than overrun.
    return this.total < this.limits.max && (this.byAddress.get(address)?.size ?? 0) < this.limits.perIp;
  }

  track(conn: PendingConnection) {
    let set = this.byAddress.get(conn.remoteAddress);
    if (!set) {
      set = new Set();
      this.byAddress.set(conn.remoteAddress, set);
    }
    if (set.has(conn)) return;
    set.add(conn);
    this.total++;
  }

  /** The connection finished CONNECT or closed; idempotent. */
  settle(conn: PendingConnection) {
    const set = this.byAddress.get(conn.remoteAddress);
    if (!set?.delete(conn)) return;
    this.total--;
    if (set.size === 0) this.byAddress.delete(conn.remoteAddress);
  }

  connectDeadlineMs(): number {
    const { max, connectTimeoutMs, pressuredConnectTimeoutMs } = this.limits;
    return this.total * 2 >= max ? Math.min(connectTimeoutMs, pressuredConnectTimeoutMs) : connectTimeoutMs;
  }

  private oldestOfBusiest(): PendingConnection | undefined {
    let busiest: Set<PendingConnection> | undefined;
    for (const set of this.byAddress.values()) if (!busiest || set.size > busiest.size) busiest = set;
    return busiest && oldest(busiest);
  }
}

/** Sets keep insertion order: the first is the oldest. */
const oldest = (set: Set<PendingConnection>) => set.values().next().value;
