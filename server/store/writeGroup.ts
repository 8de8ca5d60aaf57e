import type { Kysely } from 'kysely';
import type { Database } from './schema';

/**
 * One write of a group, all-or-nothing on its own: given the group's transaction or, alone, the
 * database (a write of several statements opens its own with transact.ts).
 */
export type GroupedWrite<T> = (db: Kysely<Database>) => Promise<T>;

interface Pending {
  write: GroupedWrite<unknown>;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * SQLite writes that arrive in one turn of the event loop, committed together: a commit (the
 * WAL append and its index update) cost about 100 µs, most of a `down/push` at 5 000/s, and a
 * write inside an open transaction about 10 µs. Each write keeps its own outcome and resolves
 * only once the group has committed, so "resolved" still means durable.
 *
 * A write that `refuses` (a full queue) must have changed nothing; it fails alone and the others
 * go on. Any other error rolls the whole group back, and its writes then run again one
 * transaction each, as they would have without grouping: each gets its own outcome, and a write
 * that breaks storage takes no other down with it. Groups commit one after another, in the order
 * their writes arrived, so writes to one device keep their order.
 */
export function writeGroup(db: Kysely<Database>, refuses: (e: unknown) => boolean) {
  let pending: Pending[] = [];
  let previous: Promise<void> = Promise.resolve();

  const together = async (group: Pending[]): Promise<Outcome[]> =>
    db.transaction().execute(async (trx) => {
      const outcomes: Outcome[] = [];
      for (const p of group) {
        try {
          outcomes.push({ ok: true, value: await p.write(trx) });
        } catch (error) {
          if (!refuses(error)) throw error;
          outcomes.push({ ok: false, error });
        }
      }
      return outcomes;
    });

  const alone = async (group: Pending[]): Promise<Outcome[]> => {
    const outcomes: Outcome[] = [];
    for (const p of group) {
      try {
        outcomes.push({ ok: true, value: await p.write(db) });
      } catch (error) {
        outcomes.push({ ok: false, error });
      }
    }
    return outcomes;
  };

  const commit = async () => {
    const group = pending;
    pending = [];
    const outcomes =
      group.length === 1 ? await alone(group) : await together(group).catch(() => alone(group));
    group.forEach((p, i) => {
      const o = outcomes[i] as Outcome;
      if (o.ok) p.resolve(o.value);
      else p.reject(o.error);
    });
  };

  return function write<T>(w: GroupedWrite<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      pending.push({ write: w, resolve: resolve as (value: unknown) => void, reject });
      if (pending.length === 1)
        setImmediate(() => {
          previous = previous.then(commit);
        });
    });
  };
}
