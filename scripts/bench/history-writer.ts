/**
 * History writes during the fan-out ("with history writes on"): every bus message becomes a row,
 * batched into one transaction per event-loop turn (the hint). Mote's own writer will
 * replace this stand-in once the AS core ships one; until then the bench composes it the way
 * main.ts is expected to.
 */
import type { BusMessage, EventBus } from '../../server/bus/bus';
import type { Logger } from '../../server/log';
import type { Store } from '../../server/store/db';
import { type HistoryRecord, historyStore } from '../../server/store/history';

export function startHistoryWriter(store: Store, bus: EventBus, log: Logger) {
  const history = historyStore(store.db);
  let batch: HistoryRecord[] = [];
  let writing = false;
  let written = 0;
  const flush = async () => {
    if (writing || batch.length === 0) return;
    writing = true;
    const records = batch;
    batch = [];
    try {
      await history.insertMany(records);
      written += records.length;
    } catch (err) {
      log.error({ err }, 'history batch failed');
    } finally {
      writing = false;
      if (batch.length > 0) setImmediate(flush);
    }
  };
  const unsubscribe = bus.subscribe('*', (m: BusMessage) => {
    if (batch.length === 0) setImmediate(flush);
    batch.push({
      applicationId: m.applicationId,
      deviceId: m.deviceId,
      type: m.type,
      receivedAt: m.receivedAt,
      message: m.payload.toString('utf8'),
      correlationIds: m.correlationIds,
    });
  });
  return {
    stats: () => ({ written, pending: batch.length }),
    stop: unsubscribe,
  };
}
