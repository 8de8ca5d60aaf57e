/**
 * What this process caches of the store — the network layer's devices (nsDeviceCache.ts), version
 * IDs (versionIds.ts) — told to the other instances on one database (issue 14), and what they
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
import type { NsSession } from './ports';
import type { VersionIdsCache } from './versionIds';

/** Longest a notice waits for open transactions before it goes anyway. */
const MAX_HOLD_MS = 200;

export class SharedNsDeviceCache extends NsDeviceCache {
  #others: Notices | undefined;
  readonly #lines = new Set<string>();
  #holds = 0;
  #scheduled = false;
  #since = 0;

  constructor(private readonly versions: VersionIdsCache) {
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
    this.versions.clear();
    this.#tell('a');
  }

  /** Runs a transaction with the notices of its writes held until it ends. */
  async holding<T>(fn: () => Promise<T>): Promise<T> {
    if (!this.#others) return fn();
    this.#holds++;
    try {
      return await fn();
    } finally {
      this.#holds--;
      this.#schedule();
    }
  }

  #heard(line: string): void {
    const [kind, app, dev, addr] = line.split(' ');
    // `a`, or notices lost while Redis was away (NOTICES_LOST): any entry may be stale.
    if (kind === 'a' || kind === NOTICES_LOST) {
      super.all();
      this.versions.clear();
    } else if ((kind === 'd' || kind === 'c') && app && dev) {
      // Dropped, not updated: the row is the truth, and the next lookup reads it.
      super.device(app, dev, addr || undefined);
      if (kind === 'd') this.versions.drop(`${app}/${dev}`);
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
