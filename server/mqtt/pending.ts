/**
 * Connections that have not finished CONNECT, by source address (issue 17, item 1). One global
 * cap let 1 000 silent sockets from one address lock every other client out; here each address
 * holds at most `perIp` of them, and when the global cap is full a newcomer from an address with
 * none pending takes the place of the oldest pending socket of the address holding the most —
 * so an address that is not flooding always gets through. Under pressure (half the global cap
 * pending) silent sockets are closed sooner.
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

  /** Whether a socket from `address` may wait for its CONNECT; may evict another to make room. */
  admit(address: string): boolean {
    const mine = this.byAddress.get(address)?.size ?? 0;
    if (mine >= this.limits.perIp) return false;
    if (this.total < this.limits.max) return true;
    if (mine > 0) return false;
    const victim = this.oldestOfBusiest();
    if (!victim) return false;
    victim.evict();
    // evict() settles the victim synchronously; if it did not, refuse rather than overrun.
    return this.total < this.limits.max;
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
    return busiest?.values().next().value;
  }
}
