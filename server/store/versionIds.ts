/**
 * A device's version identifiers (migration 005) between `VersionIds` and the `version_*`
 * columns, and an in-memory copy for the uplink path: the AS puts them on every `up`, and
 * reading the row each time would add a database round trip to every uplink. The device store is the only
 * writer of these columns and drops a device's entry on every write; the TTL bounds how long a
 * second instance on the same database (issue 14) can miss a change.
 */
import type { VersionIds } from '../../lib/messages';
import type { EndDevicesTable } from './schema';

export const VERSION_FIELDS = [
  'brand_id',
  'model_id',
  'hardware_version',
  'firmware_version',
  'band_id',
] as const satisfies readonly (keyof VersionIds)[];

export type VersionField = (typeof VERSION_FIELDS)[number];
/** A write: a string sets the field, null clears it, absent leaves it. */
export type VersionIdsWrite = { [K in VersionField]?: string | null };

type VersionColumns = Pick<
  EndDevicesTable,
  | 'version_brand_id'
  | 'version_model_id'
  | 'version_hardware_version'
  | 'version_firmware_version'
  | 'version_band_id'
>;

const columnOf = (f: VersionField) => `version_${f}` as keyof VersionColumns;

export const VERSION_COLUMNS = [
  'version_brand_id',
  'version_model_id',
  'version_hardware_version',
  'version_firmware_version',
  'version_band_id',
] as const satisfies readonly (keyof VersionColumns)[];

export function versionColumns(write: VersionIdsWrite | undefined): Partial<VersionColumns> {
  const out: Partial<VersionColumns> = {};
  for (const f of VERSION_FIELDS) {
    const v = write?.[f];
    if (v !== undefined) out[columnOf(f)] = v === '' ? null : v;
  }
  return out;
}

/** Undefined when the device has none (proto-JSON leaves an empty message out). */
export function versionIdsOf(row: Partial<VersionColumns>): VersionIds | undefined {
  const out: VersionIds = {};
  for (const f of VERSION_FIELDS) {
    const v = row[columnOf(f)];
    if (v) out[f] = v;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Only another instance's writes (issue 14) go unseen this long: this one's drop the entry at once. */
const TTL_MS = 60_000;
const CAPACITY = 100_000;

export class VersionIdsCache {
  readonly #entries = new Map<string, { value: Promise<VersionIds | undefined>; at: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * The entry is set before the read resolves, so a burst of uplinks shares one query, and a
   * write meanwhile (`drop`) removes it: a read that began before the write is not kept.
   */
  get(key: string, load: () => Promise<VersionIds | undefined>): Promise<VersionIds | undefined> {
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
