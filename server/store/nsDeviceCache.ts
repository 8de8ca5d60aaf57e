/**
 * The network layer's devices by DevAddr, in memory (ADR 0006): an uplink's lookup no longer
 * reads the row and opens two sealed keys. The store is the only writer of `end_devices`, and
 * every write that changes what the network layer sees (keys, DevAddr, LoRaWAN settings, a device
 * or application deleted, a join) tells the cache here, after the write. Counter writes update
 * the cached session instead (`counters`), after they are stored.
 *
 * Keys in the clear live only in this process's memory, in private fields: nothing logs or
 * serializes the cache. One instance only: with several instances on one database (issue 14),
 * each must hear the others' writes — see ADR 0006.
 */
import type { NsDevice, NsSession } from './ports';

/** What the store's writers tell the cache. */
export interface NsDeviceWrites {
  /** The device's row changed in a way the network layer sees, or it is gone; `devAddr`: its DevAddr now. */
  device(applicationId: string, deviceId: string, devAddr?: string | null): void;
  /** Only the DevAddr column was written (the AS's session): nothing to do when it did not change. */
  devAddr(applicationId: string, deviceId: string, devAddr: string | null): void;
  /** Any device may have changed (an application deleted). */
  all(): void;
}

/** A lookup in progress: its result is kept only if nothing was written meanwhile. */
export interface Fill {
  readonly epoch: number;
}

const keyOf = (applicationId: string, deviceId: string) => `${applicationId}/${deviceId}`;
const keyOfDevice = (d: NsDevice) => keyOf(d.ids.application_ids.application_id, d.ids.device_id);

/** Entries are immutable: a caller never changes what the next uplink finds. */
function frozen(d: NsDevice): NsDevice {
  const ids = Object.freeze({ ...d.ids, application_ids: Object.freeze({ ...d.ids.application_ids }) });
  return Object.freeze({ ...d, ids, ...(d.session ? { session: Object.freeze({ ...d.session }) } : {}) });
}

/** 100 000 DevAddrs of a few hundred bytes each: tens of MB at most. */
export const DEFAULT_NS_CACHE_CAPACITY = 100_000;

export class NsDeviceCache implements NsDeviceWrites {
  /** DevAddr → the devices found there (none: a DevAddr known to be nobody's). */
  readonly #byAddr = new Map<string, readonly NsDevice[]>();
  /** Device → the DevAddr of the entry that holds it: a device is in one entry at most. */
  readonly #addrOf = new Map<string, string>();
  /** The latest lookup in progress per DevAddr. */
  readonly #fills = new Map<string, Fill>();
  readonly #capacity: number;
  /** Bumped by every invalidating write: lookups that began before it are not kept. */
  #epoch = 0;

  constructor(capacity = DEFAULT_NS_CACHE_CAPACITY) {
    this.#capacity = capacity;
  }

  get(devAddr: string): readonly NsDevice[] | undefined {
    return this.#byAddr.get(devAddr);
  }

  startFill(devAddr: string): Fill {
    const fill = { epoch: this.#epoch };
    this.#fills.set(devAddr, fill);
    return fill;
  }

  /** Keeps what a lookup read, unless a write since `startFill` may have made it stale. */
  fill(devAddr: string, fill: Fill, devices: readonly NsDevice[]): readonly NsDevice[] {
    const kept = devices.map(frozen);
    if (this.#fills.get(devAddr) !== fill) return kept;
    this.#fills.delete(devAddr);
    if (fill.epoch !== this.#epoch) return kept;
    this.#drop(devAddr);
    for (const d of kept) {
      const other = this.#addrOf.get(keyOfDevice(d));
      // The row says the device is here now: an entry elsewhere that still holds it is stale.
      if (other !== undefined && other !== devAddr) this.#drop(other);
      this.#addrOf.set(keyOfDevice(d), devAddr);
    }
    this.#byAddr.set(devAddr, Object.freeze(kept));
    if (this.#byAddr.size > this.#capacity) {
      const oldest = this.#byAddr.keys().next().value;
      if (oldest !== undefined) this.#drop(oldest);
    }
    return kept;
  }

  /**
   * After a counter is stored: the cached session follows, if it is still that session. Only the
   * counter written moves; the other may be behind what another instance stored, and is left.
   */
  counters(applicationId: string, deviceId: string, session: NsSession, counter: 'up' | 'down'): void {
    // A lookup of this DevAddr in progress may have read the counters before this write.
    this.#fills.delete(session.devAddr);
    const entry = this.#byAddr.get(session.devAddr);
    if (!entry) return;
    const key = keyOf(applicationId, deviceId);
    const i = entry.findIndex((d) => keyOfDevice(d) === key);
    const cached = entry[i];
    if (!cached?.session || cached.session.sessionKeyId !== session.sessionKeyId) {
      this.device(applicationId, deviceId);
      return;
    }
    const moved =
      counter === 'up' ? { lastFCntUp: session.lastFCntUp } : { lastFCntDown: session.lastFCntDown };
    const updated = frozen({ ...cached, session: { ...cached.session, ...moved } });
    this.#byAddr.set(session.devAddr, Object.freeze(entry.map((d, j) => (j === i ? updated : d))));
  }

  device(applicationId: string, deviceId: string, devAddr?: string | null): void {
    this.#epoch++;
    const at = this.#addrOf.get(keyOf(applicationId, deviceId));
    if (at !== undefined) this.#drop(at);
    if (devAddr) this.#drop(devAddr);
  }

  devAddr(applicationId: string, deviceId: string, devAddr: string | null): void {
    const at = this.#addrOf.get(keyOf(applicationId, deviceId));
    if (at !== undefined && at === devAddr) return;
    this.device(applicationId, deviceId, devAddr);
  }

  all(): void {
    this.#epoch++;
    this.#byAddr.clear();
    this.#addrOf.clear();
  }

  get size(): number {
    return this.#byAddr.size;
  }

  #drop(devAddr: string): void {
    const entry = this.#byAddr.get(devAddr);
    if (!entry) return;
    this.#byAddr.delete(devAddr);
    for (const d of entry) {
      if (this.#addrOf.get(keyOfDevice(d)) === devAddr) this.#addrOf.delete(keyOfDevice(d));
    }
  }
}
