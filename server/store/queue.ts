import { CompiledQuery, type Kysely, sql, type Transaction } from 'kysely';
import { notFoundDevice, queueFull } from './errors';
import type { Dialect } from './migrations';
import type { DownlinkQueueStore } from './ports';
import type { Database } from './schema';
import { transact } from './transact';
import { writeGroups } from './writeGroups';

/**
 * Per-device downlink queue (docs/behaviour.md §5), as ChirpStack's storage/device_queue.rs: enqueue, list,
 * take the next, flush. Items are ApplicationDownlink proto-JSON text, stored as the AS wrote
 * them. Each verb is one transaction (or a step of the caller's), so a request is all-or-nothing
 * and durable on return.
 */

const RETRY_LANE = 0;
const NORMAL_LANE = 1;

type Db = Kysely<Database> | Transaction<Database>;

const ofDevice = (db: Db, applicationId: string, deviceId: string) =>
  db
    .selectFrom('downlink_queue')
    .where('application_id', '=', applicationId)
    .where('device_id', '=', deviceId);

async function countOf(db: Db, applicationId: string, deviceId: string): Promise<number> {
  const row = await ofDevice(db, applicationId, deviceId)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The AS looks a device up from memory (perDeviceCache.ts), and a push commits a turn later: a
 * queue write checks the device is still there, so a device deleted meanwhile (here or on
 * another instance) gets no queue rows, and the client hears it is not found.
 */
async function mustExist(db: Db, applicationId: string, deviceId: string): Promise<void> {
  const row = await db
    .selectFrom('end_devices')
    .select('device_id')
    .where('application_id', '=', applicationId)
    .where('device_id', '=', deviceId)
    .executeTakeFirst();
  if (!row) throw notFoundDevice({ application_id: applicationId, device_id: deviceId });
}

/** SQLite allows 32766 bound values per statement; 5 columns × 1000 rows stays well inside. */
const CHUNK = 1000;

async function insert(
  db: Db,
  applicationId: string,
  deviceId: string,
  items: readonly string[],
  at: string,
  lane: number,
) {
  for (let i = 0; i < items.length; i += CHUNK) {
    await db
      .insertInto('downlink_queue')
      .values(
        items.slice(i, i + CHUNK).map((downlink) => ({
          application_id: applicationId,
          device_id: deviceId,
          downlink,
          created_at: at,
          lane,
        })),
      )
      .execute();
  }
}

async function deleteAll(db: Db, applicationId: string, deviceId: string) {
  await db
    .deleteFrom('downlink_queue')
    .where('application_id', '=', applicationId)
    .where('device_id', '=', deviceId)
    .execute();
}

interface Push {
  applicationId: string;
  deviceId: string;
  items: readonly string[];
  capacity: number;
  at: string;
}

/**
 * SQLite: the capacity check and the insert in one statement, so a push is one write instead of
 * count, insert and their round trips through Kysely and the connection queue; the length is
 * the row the triggers keep (migrations/006_queue_lengths.ts), not a count of the queue. Nothing is written
 * when the queue would pass `capacity`, or when the device is gone (deleted since the push
 * looked it up: its group commits a turn later); resolves with whether the items went in. The SQL text
 * depends only on the item count, so the statement cache (statementCache.ts) reuses it.
 */
async function insertWithinCapacity(
  db: Db,
  { applicationId, deviceId, items, capacity, at }: Push,
): Promise<boolean> {
  const rows = items.map(() => '(?)').join(', ');
  const r = await db.executeQuery(
    CompiledQuery.raw(
      `insert into downlink_queue (application_id, device_id, downlink, created_at, lane)
    select ?, ?, column1, ?, ${NORMAL_LANE} from (values ${rows})
    where exists (select 1 from end_devices where application_id = ? and device_id = ?)
      and coalesce((select length from downlink_queue_lengths where application_id = ? and device_id = ?), 0) + ? <= ?`,
      [
        applicationId,
        deviceId,
        at,
        ...items,
        applicationId,
        deviceId,
        applicationId,
        deviceId,
        items.length,
        capacity,
      ],
    ),
  );
  return Number(r.numAffectedRows ?? 0) > 0;
}

/** The first key of the queue's advisory locks ("Q"); the second is the device's hash. */
const QUEUE_LOCKS = 0x51;

/**
 * On PostgreSQL several instances write one queue: the count-then-insert of a push (and a
 * replace) holds the device's advisory lock until it commits, so two pushes cannot both pass
 * the capacity check. SQLite has one writer at a time anyway.
 */
async function lockDevice(db: Db, dialect: Dialect, applicationId: string, deviceId: string) {
  if (dialect !== 'postgres') return;
  await sql`select pg_advisory_xact_lock(${QUEUE_LOCKS}, hashtext(${`${applicationId}/${deviceId}`}))`.execute(
    db,
  );
}

export function downlinkQueueStore(db: Kysely<Database>, dialect: Dialect): DownlinkQueueStore {
  // SQLite: a push joins the turn's group (writeGroups.ts), and the queue's other writes keep
  // their place among the groups; as a step of the caller's transaction a write runs at once.
  const writes =
    dialect === 'sqlite' && !db.isTransaction
      ? writeGroups(db, insertWithinCapacity)
      : { add: (p: Push) => insertWithinCapacity(db, p), after: <T>(fn: () => Promise<T>) => fn() };
  return {
    /** Appends; fails with `downlink_queue_full` (nothing written) past `capacity`. */
    async push(applicationId, deviceId, items, capacity, now) {
      if (items.length === 0) return;
      if (dialect === 'sqlite' && items.length <= CHUNK) {
        const push = { applicationId, deviceId, items, capacity, at: now.toISOString() };
        if (await writes.add(push)) return;
        await mustExist(db, applicationId, deviceId);
        const length = (await countOf(db, applicationId, deviceId)) + items.length;
        throw queueFull({ application_id: applicationId, device_id: deviceId, capacity, length });
      }
      await writes.after(() =>
        transact(db, async (trx) => {
          await lockDevice(trx, dialect, applicationId, deviceId);
          await mustExist(trx, applicationId, deviceId);
          const wanted = (await countOf(trx, applicationId, deviceId)) + items.length;
          if (wanted > capacity)
            throw queueFull({ application_id: applicationId, device_id: deviceId, capacity, length: wanted });
          await insert(trx, applicationId, deviceId, items, now.toISOString(), NORMAL_LANE);
        }),
      );
    },

    /** Swaps the whole queue; an empty list clears it. */
    async replace(applicationId, deviceId, items, capacity, now) {
      if (items.length > capacity)
        throw queueFull({
          application_id: applicationId,
          device_id: deviceId,
          capacity,
          length: items.length,
        });
      await writes.after(() =>
        transact(db, async (trx) => {
          await lockDevice(trx, dialect, applicationId, deviceId);
          await mustExist(trx, applicationId, deviceId);
          await deleteAll(trx, applicationId, deviceId);
          await insert(trx, applicationId, deviceId, items, now.toISOString(), NORMAL_LANE);
        }),
      );
    },

    /** Items in the order they will go out. */
    async list(applicationId: string, deviceId: string): Promise<string[]> {
      const rows = await ofDevice(db, applicationId, deviceId)
        .select('downlink')
        .orderBy('lane')
        .orderBy('seq')
        .execute();
      return rows.map((r) => r.downlink);
    },

    count: (applicationId: string, deviceId: string) => countOf(db, applicationId, deviceId),

    /**
     * Removes and returns the head of the queue, or undefined when it is empty. On PostgreSQL
     * the head is locked as it is read, and a head another instance is taking is skipped
     * (`FOR UPDATE SKIP LOCKED`): two instances never send the same item, and neither waits.
     */
    async pop(applicationId: string, deviceId: string): Promise<string | undefined> {
      return transact(db, async (trx) => {
        let next = ofDevice(trx, applicationId, deviceId)
          .select(['seq', 'downlink'])
          .orderBy('lane')
          .orderBy('seq')
          .limit(1);
        if (dialect === 'postgres') next = next.forUpdate().skipLocked();
        const head = await next.executeTakeFirst();
        if (!head) return undefined;
        await trx.deleteFrom('downlink_queue').where('seq', '=', head.seq).execute();
        return head.downlink;
      });
    },

    /** Puts a not-acknowledged confirmed downlink back at the front (docs/behaviour.md §5 retry). */
    async pushFront(applicationId: string, deviceId: string, item: string, now: Date) {
      await insert(db, applicationId, deviceId, [item], now.toISOString(), RETRY_LANE);
    },

    clear: (applicationId: string, deviceId: string) =>
      writes.after(() => deleteAll(db, applicationId, deviceId)),
  };
}
