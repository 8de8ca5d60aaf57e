import { type Kysely, sql } from 'kysely';

/**
 * The first schema. `autoIncrement` keys differ by dialect (SQLite INTEGER PRIMARY KEY vs
 * PostgreSQL serial), so the dialect is passed in; every other statement is portable.
 */
export async function up(db: Kysely<unknown>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  const seq = dialect === 'postgres' ? ('serial' as const) : ('integer' as const);

  await db.schema
    .createTable('applications')
    .addColumn('application_id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(200)', (c) => c.notNull().defaultTo(''))
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(40)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('end_devices')
    .addColumn('application_id', 'varchar(36)', (c) =>
      c.notNull().references('applications.application_id').onDelete('cascade'),
    )
    .addColumn('device_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('name', 'varchar(200)', (c) => c.notNull().defaultTo(''))
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('dev_eui', 'varchar(16)')
    .addColumn('join_eui', 'varchar(16)')
    .addColumn('dev_addr', 'varchar(8)')
    .addColumn('session', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('last_seen_at', 'varchar(40)')
    .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(40)', (c) => c.notNull())
    .addPrimaryKeyConstraint('end_devices_pk', ['application_id', 'device_id'])
    .execute();
  await db.schema
    .createIndex('end_devices_dev_eui')
    .on('end_devices')
    .columns(['application_id', 'dev_eui'])
    .execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('application_id', 'varchar(36)', (c) =>
      c.notNull().references('applications.application_id').onDelete('cascade'),
    )
    .addColumn('name', 'varchar(50)', (c) => c.notNull().defaultTo(''))
    .addColumn('secret_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('rights', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'varchar(40)')
    .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(40)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('api_keys_app').on('api_keys').column('application_id').execute();

  await db.schema
    .createTable('admin')
    .addColumn('username', 'varchar(50)', (c) => c.primaryKey())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('console_sessions')
    .addColumn('id_hash', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('username', 'varchar(50)', (c) => c.notNull())
    .addColumn('csrf_token', 'varchar(64)', (c) => c.notNull())
    .addColumn('expires_at', 'varchar(40)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('downlink_queue')
    .addColumn('seq', seq, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('application_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('device_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('downlink', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('downlink_queue_device')
    .on('downlink_queue')
    .columns(['application_id', 'device_id', 'seq'])
    .execute();

  await db.schema
    .createTable('history')
    .addColumn('seq', seq, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('application_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('device_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('type', 'varchar(40)', (c) => c.notNull())
    .addColumn('received_at', 'varchar(40)', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('history_app_time')
    .on('history')
    .columns(['application_id', 'received_at'])
    .execute();
  await db.schema
    .createIndex('history_device_time')
    .on('history')
    .columns(['application_id', 'device_id', 'received_at'])
    .execute();

  await db.schema
    .createTable('history_correlation_ids')
    .addColumn('history_seq', 'integer', (c) => c.notNull())
    .addColumn('correlation_id', 'varchar(100)', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('history_correlation_ids_cid')
    .on('history_correlation_ids')
    .columns(['correlation_id', 'history_seq'])
    .execute();
  await sql`select 1`.execute(db);
}
