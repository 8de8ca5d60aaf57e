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
  /** At most this long between insert transactions; 0 leaves flushing to the caller (tests). */
  flushIntervalMs?: number;
  /** A batch this big is written at once rather than at the next interval. */
  maxBatch?: number;
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
 * bus, it buffers messages and writes them in one transaction per batch, so 10k uplinks/s cost
 * a few inserts of many rows rather than 10k transactions. A batch holds the event loop and the
 * database connection while SQLite works (~20 µs a row), so batches stay small — every 50 ms or
 * 256 rows, about 5 ms at most — rather than large: with 250 ms batches at 5 000 uplinks/s every
 * MQTT delivery and downlink behind one waited up to 25 ms.
 */
export function startHistoryWriter(o: HistoryWriterOptions): HistoryWriter {
  const history = historyStore(o.store.db);
  const log = o.log.child({ component: 'history' });
  const maxBuffered = o.maxBuffered ?? 100_000;
  const interval = o.flushIntervalMs ?? 50;
  const maxBatch = o.maxBatch ?? 256;
  let flushSoon = false;
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
    if (interval > 0 && buffer.length >= maxBatch && !flushSoon) {
      flushSoon = true;
      setImmediate(() => {
        flushSoon = false;
        void flush();
      });
    }
  });

  /**
   * Flushes run one after another, so batches land in publish order. A backlog goes out
   * `maxBatch` rows per transaction, letting other work in between.
   */
  const flush = () => {
    writing = writing.then(async () => {
      const pending = buffer;
      buffer = [];
      for (let at = 0; at < pending.length; at += maxBatch) {
        if (at > 0) await new Promise((resolve) => setImmediate(resolve));
        const batch = pending.length <= maxBatch ? pending : pending.slice(at, at + maxBatch);
        try {
          await history.insertMany(batch);
          if (failing > 0) log.info({ failedBatches: failing }, 'writing history works again');
          failing = 0;
        } catch (err) {
          // A full or read-only disk may come back: keep this batch (one transaction, so nothing
          // of it was written) and the rest for the next flush, within maxBuffered. Anything
          // else would fail again.
          if (isMoteError(err) && err.errorClass === 'unavailable') {
            buffer = pending.slice(at).concat(buffer);
            dropOldest();
            if (failing++ === 0)
              log.error({ err, buffered: buffer.length }, 'writing history failed; retrying');
            return;
          }
          log.error({ err, count: batch.length }, 'writing history failed');
        }
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
    interval > 0 ? setInterval(() => void flush(), interval) : undefined,
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
