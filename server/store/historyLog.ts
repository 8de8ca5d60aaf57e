import { isMoteError } from '../../lib/errors';
import type { Logger } from '../log';
import type { HistoryRecord } from './ports';

export interface HistoryLogOptions {
  log: Logger;
  /** At most this long between insert transactions; 0 leaves flushing to the caller (tests). */
  flushIntervalMs?: number;
  /** A batch this big is written at once rather than at the next interval. */
  maxBatch?: number;
  /** If the database falls this far behind, the oldest unwritten records are dropped. */
  maxBuffered?: number;
}

export interface HistoryLog {
  append(record: HistoryRecord): void;
  flush(): Promise<void>;
  /**
   * Runs `body` after every earlier flush and transaction; `drain` hands it what is buffered,
   * to be written in its transaction before its own records. Rolled back: the drained records
   * go back to the buffer.
   */
  transaction<T>(body: (drain: () => readonly HistoryRecord[]) => Promise<T>): Promise<T>;
  stop(): Promise<void>;
}

/**
 * The write-behind of `store.history.append` (docs/behaviour.md §6): records are buffered and
 * written in one transaction per batch, so 10k uplinks/s cost a few inserts of many rows rather
 * than 10k transactions. A batch holds the event loop and the database connection while SQLite
 * works (~20 µs a row), so batches stay small — every 50 ms or 256 rows, about 5 ms at most —
 * rather than large: with 250 ms batches at 5 000 uplinks/s every MQTT delivery and downlink
 * behind one waited up to 25 ms.
 */
export function createHistoryLog(
  insertMany: (records: readonly HistoryRecord[]) => Promise<void>,
  o: HistoryLogOptions,
): HistoryLog {
  const log = o.log.child({ component: 'history' });
  const maxBuffered = o.maxBuffered ?? 100_000;
  const interval = o.flushIntervalMs ?? 50;
  const maxBatch = o.maxBatch ?? 256;
  let flushSoon = false;
  let buffer: HistoryRecord[] = [];
  let writing: Promise<void> = Promise.resolve();
  /** Batches that failed in a row because storage did: logged once, then on recovery. */
  let failing = 0;

  // Drops a tenth at a time: trimming to the limit on every record would copy the whole
  // buffer per record while storage is down.
  const dropOldest = () => {
    if (buffer.length <= maxBuffered) return;
    const keep = Math.floor(maxBuffered * 0.9);
    log.warn({ dropped: buffer.length - keep }, 'history is behind; dropping the oldest unwritten messages');
    buffer = buffer.slice(buffer.length - keep);
  };

  const append = (record: HistoryRecord) => {
    buffer.push(record);
    dropOldest();
    if (interval > 0 && buffer.length >= maxBatch && !flushSoon) {
      flushSoon = true;
      setImmediate(() => {
        flushSoon = false;
        void flush();
      });
    }
  };

  /**
   * Flushes run one after another, so batches land in append order. A backlog goes out
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
          await insertMany(batch);
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

  const transaction: HistoryLog['transaction'] = (body) => {
    const run = writing.then(async () => {
      let drained: HistoryRecord[] = [];
      try {
        return await body(() => {
          drained = buffer;
          buffer = [];
          return drained;
        });
      } catch (err) {
        buffer = drained.concat(buffer);
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

  const timer = interval > 0 ? setInterval(() => void flush(), interval) : undefined;
  timer?.unref();

  return {
    append,
    flush,
    transaction,
    async stop() {
      if (timer) clearInterval(timer);
      await flush();
      if (buffer.length > 0)
        log.error({ lost: buffer.length }, 'history messages not written before shutdown');
    },
  };
}
