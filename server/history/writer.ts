import type { EventBus } from '../bus/bus';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { Store } from '../store/db';
import { type HistoryRecord, historyStore } from '../store/history';

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

  const unsubscribe = o.bus.subscribe('*', (m) => {
    if (buffer.length >= maxBuffered) {
      // In bulk, and said once: one at a time would copy the whole buffer per message.
      const dropped = buffer.splice(0, Math.ceil(maxBuffered / 10)).length;
      log.warn({ dropped }, 'history is behind; dropped the oldest unwritten messages');
    }
    buffer.push({
      applicationId: m.applicationId,
      deviceId: m.deviceId,
      type: m.type,
      receivedAt: m.receivedAt,
      message: m.payload.toString('utf8'),
      correlationIds: m.correlationIds,
    });
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
        } catch (err) {
          log.error({ err, count: batch.length }, 'writing history failed');
        }
      }
    });
    return writing;
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
    prune,
    async stop() {
      unsubscribe();
      for (const t of timers) if (t) clearInterval(t);
      await flush();
    },
  };
}
