import type { Kysely } from 'kysely';
import { isMoteError } from '../../lib/errors';
import type { BusMessage, EventBus } from '../bus/bus';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { Store } from '../store/db';
import { type HistoryRecord, historyStore } from '../store/history';
import type { Database } from '../store/schema';
import { transact } from '../store/transact';

export interface HistoryWriterOptions {
  store: Store;
  bus: EventBus;
  clock: Clock;
  log: Logger;
  /** Retention (MOTE_HISTORY_DAYS, MOTE_HISTORY_MAX_ROWS). */
  config: { historyDays: number; historyMaxRows: number };
  /** One insert transaction per tick; 0 leaves flushing to the caller (tests). */
  flushIntervalMs?: number;
  pruneIntervalMs?: number;
  /** If the database falls this far behind, the oldest unwritten messages are dropped. */
  maxBuffered?: number;
}

export interface HistoryWriter {
  flush(): Promise<void>;
  /**
   * Runs `fn` in one store transaction that also stores what is buffered and then the messages
   * `fn` records — so a state change and the messages reporting it survive a crash together,
   * in publish order. Recorded messages come back marked `stored`; publish them after it resolves.
   */
  transaction<T>(fn: (db: Kysely<Database>, record: (message: BusMessage) => void) => Promise<T>): Promise<T>;
  prune(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Stores every published ApplicationUp (SPEC §6 history): subscribed to all applications on the
 * bus, it buffers messages and writes them in one transaction per tick, so 10k uplinks/s cost
 * a few inserts of many rows rather than 10k transactions.
 */
export function startHistoryWriter(o: HistoryWriterOptions): HistoryWriter {
  const history = historyStore(o.store.db);
  const log = o.log.child({ component: 'history' });
  const maxBuffered = o.maxBuffered ?? 100_000;
  let buffer: HistoryRecord[] = [];
  let writing: Promise<void> = Promise.resolve();
  /** Batches that failed in a row because storage did: logged once, then on recovery. */
  let failing = 0;

  // Drops a tenth at a time: trimming to the limit on every message would copy the whole
  // buffer per message while storage is down.
  const dropOldest = () => {
    if (buffer.length <= maxBuffered) return;
    const keep = Math.floor(maxBuffered * 0.9);
    log.warn({ dropped: buffer.length - keep }, 'history is behind; dropping the oldest unwritten messages');
    buffer = buffer.slice(buffer.length - keep);
  };

  const unsubscribe = o.bus.subscribe('*', (m) => {
    if (m.stored || m.audience === 'console') return;
    buffer.push(recordOf(m));
    dropOldest();
  });

  /** Flushes run one after another, so batches land in publish order. */
  const flush = () => {
    writing = writing.then(async () => {
      if (buffer.length === 0) return;
      const batch = buffer;
      buffer = [];
      try {
        await history.insertMany(batch);
        if (failing > 0) log.info({ failedBatches: failing }, 'writing history works again');
        failing = 0;
      } catch (err) {
        // A full or read-only disk may come back: keep the batch (one transaction, so nothing of
        // it was written) for the next tick, within maxBuffered. Anything else would fail again.
        if (isMoteError(err) && err.errorClass === 'unavailable') {
          buffer = batch.concat(buffer);
          dropOldest();
          if (failing++ === 0)
            log.error({ err, buffered: buffer.length }, 'writing history failed; retrying');
        } else log.error({ err, count: batch.length }, 'writing history failed');
      }
    });
    return writing;
  };

  /** Shares the flush chain, so no flush of earlier messages can land after these. */
  const transaction: HistoryWriter['transaction'] = (fn) => {
    const run = writing.then(async () => {
      let batch: HistoryRecord[] = [];
      try {
        return await transact(o.store.db, async (db) => {
          const recorded: BusMessage[] = [];
          const result = await fn(db, (m) => recorded.push(m));
          batch = buffer;
          buffer = [];
          await historyStore(db).insertMany([...batch, ...recorded.map(recordOf)]);
          for (const m of recorded) m.stored = true;
          return result;
        });
      } catch (err) {
        // Rolled back: what was buffered is written later, as by a failed flush.
        buffer = batch.concat(buffer);
        dropOldest();
        throw err;
      }
    });
    writing = run.then(
      () => {},
      () => {},
    );
    return run;
  };

  const prune = async () => {
    const cutoff = new Date(o.clock.now().getTime() - o.config.historyDays * 86_400_000).toISOString();
    const deleted = await history.prune(cutoff, o.config.historyMaxRows);
    if (deleted > 0) log.info({ deleted }, 'pruned history');
    return deleted;
  };

  const timers = [
    (o.flushIntervalMs ?? 250) > 0 ? setInterval(() => void flush(), o.flushIntervalMs ?? 250) : undefined,
    (o.pruneIntervalMs ?? 600_000) > 0
      ? setInterval(
          () => prune().catch((err) => log.error({ err }, 'pruning history failed')),
          o.pruneIntervalMs ?? 600_000,
        )
      : undefined,
  ];
  for (const t of timers) t?.unref();

  return {
    flush,
    transaction,
    prune,
    async stop() {
      unsubscribe();
      for (const t of timers) if (t) clearInterval(t);
      await flush();
      if (buffer.length > 0)
        log.error({ lost: buffer.length }, 'history messages not written before shutdown');
    },
  };
}

const recordOf = (m: BusMessage): HistoryRecord => ({
  applicationId: m.applicationId,
  deviceId: m.deviceId,
  type: m.type,
  receivedAt: m.receivedAt,
  message: m.payload.toString('utf8'),
  correlationIds: m.correlationIds,
});
