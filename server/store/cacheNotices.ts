/**
 * What this process caches of the store — the network layer's devices (nsDeviceCache.ts), and per
 * device its version IDs and identifiers (perDeviceCache.ts) — told to the other instances on one database (issue 14), and what they
 * tell back applied here. Alone, nothing is sent and a write costs what it always did.
 *
 * A notice is a line: `d <app> <dev> <devAddr>` (a device written or deleted), `c <app> <dev>
 * <devAddr>` (its counters moved on), `a` (any device: an application deleted). IDs cannot hold
 * spaces or newlines (lib/ids). Lines are gathered and sent once per turn of the event loop, and
 * held while a transaction is open, so another instance that re-reads on receipt finds the write
 * committed. A notice lost while Redis is away leaves an entry stale until the next write of that
 * device; counters are saved after every uplink, so an active device heals at its next frame.
 */
import { NOTICES_LOST, type Notices } from '../cluster/notices';
import { NsDeviceCache } from './nsDeviceCache';
import type { PerDeviceCache } from './perDeviceCache';
import type { NsSession } from './ports';

/** Devices remembered as dropped during open transactions (see `holding`). */
const MAX_DROPPED_WHILE_HELD = 10_000;

/** Longest a notice waits for open transactions before it goes anyway. */
const MAX_HOLD_MS = 200;

export class SharedNsDeviceCache extends NsDeviceCache {
  #others: Notices | undefined;
  readonly #lines = new Set<string>();
  #holds = 0;
  /**
   * Devices dropped while a transaction was open, oldest first; `#droppedBefore` counts those
   * already let go. Each transaction re-drops only what was dropped since it began.
   */
  #droppedWhileHeld: string[] = [];
  #droppedBefore = 0;
  #scheduled = false;
  #since = 0;

  /** `perDevice`: dropped with the device here, whoever wrote it. */
  constructor(private readonly perDevice: readonly PerDeviceCache<unknown>[]) {
    super();
  }

  /** Starts telling `others` and hearing from them; until then this is the in-process cache. */
  share(others: Notices): () => void {
    this.#others = others;
    return others.on((text) => {
      for (const line of text.split('\n')) this.#heard(line);
    });
  }

  override device(applicationId: string, deviceId: string, devAddr?: string | null): void {
    super.device(applicationId, deviceId, devAddr);
    this.#dropPerDevice(applicationId, deviceId);
    this.#tell(`d ${applicationId} ${deviceId} ${devAddr ?? ''}`);
  }

  override counters(
    applicationId: string,
    deviceId: string,
    session: NsSession,
    counter: 'up' | 'down',
  ): void {
    super.counters(applicationId, deviceId, session, counter);
    this.#tell(`c ${applicationId} ${deviceId} ${session.devAddr}`);
  }

  override all(): void {
    super.all();
    for (const c of this.perDevice) c.clear();
    this.#tell('a');
  }

  /**
   * Runs a transaction with the notices of its writes held until it ends. The devices it dropped
   * are dropped again once it has: on PostgreSQL a read outside it meanwhile finds the row as it
   * was and would keep that.
   */
  async holding<T>(fn: () => Promise<T>): Promise<T> {
    this.#holds++;
    const from = this.#droppedBefore + this.#droppedWhileHeld.length;
    try {
      return await fn();
    } finally {
      this.#holds--;
      const dropped = this.#droppedWhileHeld;
      for (let i = Math.max(0, from - this.#droppedBefore); i < dropped.length; i++)
        for (const c of this.perDevice) c.drop(dropped[i] as string);
      if (this.#holds === 0) {
        this.#droppedBefore += dropped.length;
        this.#droppedWhileHeld = [];
      }
      this.#schedule();
    }
  }

  #heard(line: string): void {
    const [kind, app, dev, addr] = line.split(' ');
    // `a`, or notices lost while Redis was away (NOTICES_LOST): any entry may be stale.
    if (kind === 'a' || kind === NOTICES_LOST) {
      super.all();
      for (const c of this.perDevice) c.clear();
    } else if ((kind === 'd' || kind === 'c') && app && dev) {
      // Dropped, not updated: the row is the truth, and the next lookup reads it.
      super.device(app, dev, addr || undefined);
      if (kind === 'd') this.#dropPerDevice(app, dev);
    }
  }

  #dropPerDevice(applicationId: string, deviceId: string): void {
    const key = `${applicationId}/${deviceId}`;
    for (const c of this.perDevice) c.drop(key);
    if (this.#holds === 0) return;
    this.#droppedWhileHeld.push(key);
    // Transactions that never all end at once (a busy PostgreSQL): rather than keep every key,
    // let them go with everything cached per device. A read while one of those transactions is
    // still open may then keep the old row, until the entry's TTL.
    if (this.#droppedWhileHeld.length >= MAX_DROPPED_WHILE_HELD) {
      for (const c of this.perDevice) c.clear();
      this.#droppedBefore += this.#droppedWhileHeld.length;
      this.#droppedWhileHeld = [];
    }
  }

  #tell(line: string): void {
    if (!this.#others) return;
    if (this.#lines.size === 0) this.#since = Date.now();
    this.#lines.add(line);
    this.#schedule();
  }

  #schedule(): void {
    if (this.#scheduled || this.#lines.size === 0) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      if (this.#holds > 0 && Date.now() - this.#since < MAX_HOLD_MS) {
        // An open transaction's end schedules again; the timer is the backstop for a long one.
        setTimeout(() => this.#schedule(), MAX_HOLD_MS).unref();
        return;
      }
      if (this.#lines.size === 0) return;
      const text = [...this.#lines].join('\n');
      this.#lines.clear();
      this.#others?.send(text);
    });
  }
}
