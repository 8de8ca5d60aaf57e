import { DEFAULT_CONFIRMED_ATTEMPTS } from '../../lib/messages';
import type { BusMessage, EventBus } from '../bus/bus';
import type { Clock } from '../clock';
import type { Notices } from '../cluster/notices';
import type { Logger } from '../log';
import type { Store } from '../store/ports';
import { type AsConfig, type AsCore, deviceKey, WorkHints } from './context';
import { type IdSource, systemIds } from './correlation';
import { queueOperation, rejectDownlinks } from './downlinks';
import type { FormatterService } from './formatters/service';
import { receiveWindow } from './lifecycle';
import type { ApplicationServer } from './ports';
import { createConsoleEvents, createPublisher, historyRecordOf } from './publish';
import { settleWindow } from './settle';
import { simulateUplink } from './simulate';
import { handleJoin, handleUplink, type RecordSeen } from './uplink';

export interface ApplicationServerDeps {
  store: Pick<Store, 'devices' | 'queue' | 'history' | 'lastSeen' | 'transaction'>;
  bus: EventBus;
  clock: Clock;
  log: Logger;
  ids?: IdSource;
  config: Partial<AsConfig> & Pick<AsConfig, 'queueCapacity'>;
  /** Payload formatters (docs/behaviour.md §7); without them payloads pass as they are. */
  formatters?: FormatterService;
  /** How often last-seen times are written; 0 leaves it to explicit `flush()` (tests). */
  flushIntervalMs?: number;
  /** Other instances on the same store (issue 14): work added there wakes devices here. */
  others?: Notices;
}

export function createApplicationServer(deps: ApplicationServerDeps): ApplicationServer {
  const { store, bus } = deps;
  const core: AsCore = {
    devices: store.devices,
    queue: store.queue,
    publish: createPublisher(bus, store.history),
    async atomically(fn) {
      const recorded: BusMessage[] = [];
      const result = await store.transaction((tx) =>
        fn({
          devices: tx.devices,
          queue: tx.queue,
          record(message) {
            recorded.push(message);
            tx.history.record(historyRecordOf(message));
          },
        }),
      );
      for (const message of recorded) bus.publish(message);
      return result;
    },
    consoleEvents: createConsoleEvents(deps.bus),
    formatters: deps.formatters,
    clock: deps.clock,
    log: deps.log.child({ component: 'as' }),
    ids: deps.ids ?? systemIds,
    config: { maxConfirmedAttempts: DEFAULT_CONFIRMED_ATTEMPTS, ...deps.config },
    work: new WorkHints(deps.others),
  };

  // Uplinks are the hot path: last-seen is coalesced per device and written once per flush.
  let seen = new Map<string, { applicationId: string; deviceId: string; at: string }>();
  const recordSeen = (applicationId: string, deviceId: string, at: string) =>
    seen.set(deviceKey(applicationId, deviceId), { applicationId, deviceId, at });
  const flush = async () => {
    const batch = seen;
    seen = new Map();
    try {
      await store.lastSeen.touchMany(batch);
    } catch (err) {
      // Kept for the next flush (storage may come back), unless the device was seen again since.
      for (const [k, v] of batch) if (!seen.has(k)) seen.set(k, v);
      throw err;
    }
  };
  const seenByTheNetworkLayer: RecordSeen = () => {};
  const interval = deps.flushIntervalMs ?? 1000;
  const timer =
    interval > 0
      ? setInterval(
          () => flush().catch((err) => core.log.warn({ err }, 'writing last-seen times failed')),
          interval,
        )
      : undefined;
  timer?.unref();

  return {
    handleJoin: (ids, join, correlationIds) =>
      handleJoin(core, { ids, join, correlationIds: [...correlationIds] }),
    // The network layer wrote last-seen with the FCnt (saveCounters): nothing to record again.
    handleUplink: (ids, uplink, correlationIds) =>
      handleUplink(core, seenByTheNetworkLayer, {
        ids,
        uplink,
        correlationIds: [...correlationIds],
        simulated: false,
      }),
    receiveWindow: (ids, window) => receiveWindow(core, ids, window),
    settleWindow: (ids, fCnt, outcome) => settleWindow(core, ids, fCnt, outcome),
    simulateUplink: (app, dev, body) => simulateUplink(core, recordSeen, app, dev, body),
    downlinks: {
      push: (app, dev, downlinks) => queueOperation(core, app, dev, 'push', downlinks),
      replace: (app, dev, downlinks) => queueOperation(core, app, dev, 'replace', downlinks),
      list: (app, dev) => core.devices.get(app, dev).then(() => core.queue.list(app, dev)),
      clear: (app, dev) => queueOperation(core, app, dev, 'replace', []),
      reject: (app, dev, downlink, error) => rejectDownlinks(core, app, dev, downlink, error),
    },
    flush,
    async close() {
      if (timer) clearInterval(timer);
      await flush();
    },
  };
}
