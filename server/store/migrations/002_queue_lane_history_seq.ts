import type { Kysely } from 'kysely';

/**
 * Downlink queue lanes: a confirmed downlink that was not acknowledged goes back to the *front*
 * of its device's queue (docs/behaviour.md §5: re-queued with attempt+1). `seq` is global across devices, so
 * "front" cannot be a smaller seq; lane 0 (retries) sorts before lane 1 (everything else).
 * History: pruning deletes correlation IDs by `history_seq`, which needs its own index.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('downlink_queue')
    .addColumn('lane', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('history_correlation_ids_seq')
    .on('history_correlation_ids')
    .column('history_seq')
    .execute();
}
