import type { Kysely } from 'kysely';

/**
 * A device's version identifiers (issue 15), as TTS's `EndDeviceVersionIdentifiers`: which
 * make, model, hardware, firmware and band it is. The AS carries them on every `up`
 * (`uplink_message.version_ids`); null when not given.
 */
export const VERSION_ID_COLUMNS = [
  'version_brand_id',
  'version_model_id',
  'version_hardware_version',
  'version_firmware_version',
  'version_band_id',
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const name of VERSION_ID_COLUMNS)
    await db.schema.alterTable('end_devices').addColumn(name, 'varchar(40)').execute();
}
