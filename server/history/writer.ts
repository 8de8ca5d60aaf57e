import { isMoteError } from '../../lib/errors';
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
  /** One insert transaction per tick; 0 leaves flushing to the caller (tests). */
  flushIntervalMs?: number;
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
    if (m.audience === 'console') return;
    buffer.push({
      applicationId: m.applicationId,
      deviceId: m.deviceId,
      type: m.type,
      receivedAt: m.receivedAt,
      message: m.payload.toString('utf8'),
      correlationIds: m.correlationIds,
    });
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
