import type { Kysely } from 'kysely';

/**
 * The gateway registry ("Real devices, part 2"): one row per gateway the operator registered.
 * The EUI is unique (upper-case hex): the UDP frontend finds a gateway by the EUI every datagram
 * carries. The location is the antenna's as TTS's `antennas[0].location`; null when not given.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('gateways')
    .addColumn('gateway_id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('eui', 'varchar(16)', (c) => c.notNull().unique())
    .addColumn('name', 'varchar(50)', (c) => c.notNull().defaultTo(''))
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('frequency_plan_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('latitude', 'double precision')
    .addColumn('longitude', 'double precision')
    .addColumn('altitude', 'double precision')
    .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(40)', (c) => c.notNull())
    .execute();
}
