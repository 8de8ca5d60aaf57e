import type { Kysely } from 'kysely';

/**
 * Devices with keys (issue 12): LoRaWAN settings, the OTAA root key and the network session,
 * keys sealed by keyVault.ts (`*_sealed`, never plain). Used DevNonces get their own table:
 * LoRaWAN 1.0.3 §6.2.5 refuses any DevNonce a device used before. `key_encryption` keeps one
 * sealed check value, so a start with another KEK fails at once instead of reading garbage.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const columns: [string, 'varchar(40)' | 'integer' | 'text' | 'varchar(64)'][] = [
    ['frequency_plan_id', 'varchar(40)'],
    ['lorawan_version', 'varchar(40)'],
    ['lorawan_phy_version', 'varchar(40)'],
    ['supports_join', 'integer'],
    ['app_key_sealed', 'text'],
    ['nwk_s_key_sealed', 'text'],
    ['app_s_key_sealed', 'text'],
    ['session_key_id', 'varchar(64)'],
    ['last_f_cnt_up', 'integer'],
    ['last_f_cnt_down', 'integer'],
    ['session_abp', 'integer'],
  ];
  for (const [name, type] of columns)
    await db.schema.alterTable('end_devices').addColumn(name, type).execute();

  await db.schema
    .createIndex('end_devices_join')
    .on('end_devices')
    .columns(['join_eui', 'dev_eui'])
    .execute();
  await db.schema.createIndex('end_devices_dev_addr').on('end_devices').column('dev_addr').execute();

  await db.schema
    .createTable('end_device_dev_nonces')
    .addColumn('application_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('device_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('dev_nonce', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('end_device_dev_nonces_pk', ['application_id', 'device_id', 'dev_nonce'])
    .addForeignKeyConstraint(
      'end_device_dev_nonces_device',
      ['application_id', 'device_id'],
      'end_devices',
      ['application_id', 'device_id'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute();

  await db.schema
    .createTable('key_encryption')
    .addColumn('name', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('sealed', 'text', (c) => c.notNull())
    .execute();
}
