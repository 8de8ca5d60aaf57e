import type { Kysely } from 'kysely';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import { adminStore } from './admin';
import { apiKeyStore } from './apiKeys';
import { applicationStore } from './applications';
import { SharedNsDeviceCache } from './cacheNotices';
import { deviceStore } from './devices';
import { formatterStore } from './formatters';
import { gatewayStore } from './gateways';
import { historyRows } from './history';
import { createHistoryLog, type HistoryLogOptions } from './historyLog';
import type { KeyVault } from './keyVault';
import { lastSeenStore } from './lastSeen';
import type { Dialect } from './migrations';
import { newestUplinks } from './newestUplinks';
import { nsDeviceRegistry } from './nsDevices';
import { PerDeviceCache } from './perDeviceCache';
import type { DeviceIdentity, HistoryRecord, Store } from './ports';
import { downlinkQueueStore } from './queue';
import type { Database } from './schema';
import { transact } from './transact';
import { VersionIdsCache } from './versionIds';

export interface KyselyStoreOptions {
  log: Logger;
  /** The history write-behind (historyLog.ts). */
  history?: Omit<HistoryLogOptions, 'log'>;
  /** Releases the database once the history is written. */
  destroy(): Promise<void>;
  file?: string;
  /** Seals and opens device keys (keyVault.ts). */
  vault: KeyVault;
  /** Stamps the rows of stores whose verbs take no time (the gateway registry). */
  clock?: Clock;
}

/**
 * The Store port over Kysely: one module per table (docs/architecture.md §7.9), assembled here. The same modules
 * serve any Kysely dialect; `dialect` picks the few statements that differ (JSON settings).
 */
export function kyselyStore(db: Kysely<Database>, dialect: Dialect, o: KyselyStoreOptions): Store {
  const history = historyRows(db, dialect);
  const historyLog = createHistoryLog(history.insertMany, { ...o.history, log: o.log });
  // One per store: every writer of `end_devices` below tells it what changed.
  const perDevice = {
    versions: new VersionIdsCache(),
    identities: new PerDeviceCache<DeviceIdentity | undefined>(),
  };
  // Told of every write; with other instances (shareCaches), it tells them too (cacheNotices.ts).
  const nsCache = new SharedNsDeviceCache([perDevice.versions, perDevice.identities]);
  const allDevices = { all: () => nsCache.all() };
  return {
    applications: applicationStore(db, allDevices),
    devices: deviceStore(db, dialect, o.vault, nsCache, perDevice),
    nsDevices: nsDeviceRegistry(db, o.vault, nsCache, { dialect }),
    lastSeen: lastSeenStore(db, dialect),
    apiKeys: apiKeyStore(db),
    admin: adminStore(db),
    formatters: formatterStore(db, dialect),
    queue: downlinkQueueStore(db, dialect),
    gateways: gatewayStore(db, o.clock, dialect),
    history: {
      append: historyLog.append,
      flush: historyLog.flush,
      query: history.query,
      pages: history.pages,
      count: history.count,
      related: history.related,
      relatedPages: history.relatedPages,
      prune: history.prune,
      newestUplinks: newestUplinks(db),
    },
    // History written by a unit of work follows what was appended before it commits, so rows
    // keep publish order (its messages are published after the commit).
    shareCaches: (others) => nsCache.share(others),
    transaction: (fn) =>
      nsCache.holding(() =>
        historyLog.transaction((drain) =>
          transact(db, async (trx) => {
            const recorded: HistoryRecord[] = [];
            const result = await fn({
              devices: deviceStore(trx, dialect, o.vault, nsCache, perDevice),
              nsDevices: nsDeviceRegistry(trx, o.vault, nsCache, { transaction: true, dialect }),
              queue: downlinkQueueStore(trx, dialect),
              history: { record: (r) => void recorded.push(r) },
            });
            await historyRows(trx, dialect).insertMany([...drain(), ...recorded]);
            return result;
          }),
        ),
      ),
    async close() {
      await historyLog.stop();
      await o.destroy();
    },
    file: o.file,
  };
}
