/**
 * A device's version identifiers (migration 005) between `VersionIds` and the `version_*`
 * columns, and an in-memory copy for the uplink path (perDeviceCache.ts): the AS puts them on
 * every `up`, and reading the row each time would add a database round trip to every uplink.
 */
import type { VersionIds } from '../../lib/messages';
import { PerDeviceCache } from './perDeviceCache';
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

/** Version IDs by `app/dev`, for every uplink. */
export class VersionIdsCache extends PerDeviceCache<VersionIds | undefined> {}
