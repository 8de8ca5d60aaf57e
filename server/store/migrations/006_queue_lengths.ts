import { type Kysely, sql } from 'kysely';
import type { Dialect } from './index';

/**
 * SQLite: each device's queue length, kept by triggers on `downlink_queue`, so the capacity
 * check of a push reads one row instead of counting the queue. Counting walked every queued item
 * of the device: at a few hundred items it cost more than the rest of the push (issue 18). The
 * triggers fire on every insert and delete, whoever makes it (pops, replaces, device and
 * application deletion), and inside that writer's transaction, so the length cannot drift.
 * PostgreSQL counts under the device's advisory lock as before (queue.ts).
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect !== 'sqlite') return;
  await sql`create table downlink_queue_lengths (
    application_id varchar(36) not null,
    device_id varchar(36) not null,
    length integer not null,
    primary key (application_id, device_id)
  ) without rowid`.execute(db);
  await sql`insert into downlink_queue_lengths (application_id, device_id, length)
    select application_id, device_id, count(*) from downlink_queue group by application_id, device_id`.execute(
    db,
  );
  await sql`create trigger downlink_queue_length_up after insert on downlink_queue begin
    insert into downlink_queue_lengths (application_id, device_id, length)
      values (new.application_id, new.device_id, 1)
      on conflict (application_id, device_id) do update set length = length + 1;
  end`.execute(db);
  // An emptied queue leaves no row behind: deleted devices would otherwise keep theirs.
  await sql`create trigger downlink_queue_length_down after delete on downlink_queue begin
    update downlink_queue_lengths set length = length - 1
      where application_id = old.application_id and device_id = old.device_id;
    delete from downlink_queue_lengths
      where application_id = old.application_id and device_id = old.device_id and length <= 0;
  end`.execute(db);
}
