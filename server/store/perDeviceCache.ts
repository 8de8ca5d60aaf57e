/**
 * What a hot path reads of a device on every message, in memory by `app/dev`: the version IDs
 * (every uplink), the device's identifiers (every `down/push`). The device store and the network
 * registry are the only writers of `end_devices`, and every write that can change an entry drops
 * it here (directly, or through SharedNsDeviceCache, which also drops what other instances on the
 * same database wrote, issue 14); the TTL bounds how long a lost notice can leave one stale.
 */

/** Only another instance's writes (issue 14) go unseen this long: this one's drop the entry at once. */
const TTL_MS = 60_000;
const CAPACITY = 100_000;

export class PerDeviceCache<T> {
  readonly #entries = new Map<string, { value: Promise<T>; at: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * The entry is set before the read resolves, so a burst of uplinks shares one query, and a
   * write meanwhile (`drop`) removes it: a read that began before the write is not kept.
   */
  get(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.#entries.get(key);
    if (hit && this.now() - hit.at < TTL_MS) return hit.value;
    if (this.#entries.size >= CAPACITY) this.#entries.clear();
    const entry = { value: load(), at: this.now() };
    this.#entries.set(key, entry);
    entry.value.catch(() => {
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
    });
    return entry.value;
  }

  /** The device's row was written or deleted. */
  drop(key: string): void {
    this.#entries.delete(key);
  }

  /** Any device may have changed (an application deleted). */
  clear(): void {
    this.#entries.clear();
  }
}
