import type { BusMessage } from '../bus/bus';
import type { Clock } from '../clock';
import { NOTICES_LOST, type Notices, noNotices } from '../cluster/notices';
import type { Logger } from '../log';
import type { DeviceStore, DownlinkQueueStore } from '../store/ports';
import type { IdSource } from './correlation';
import type { FormatterService } from './formatters/service';
import type { ConsoleEvents, PublishUp } from './publish';

export interface AsConfig {
  /** Items per device queue (docs/behaviour.md §5, default 10 000). */
  queueCapacity: number;
  /** Confirmed downlink attempts when the client gives no `max_attempts` (§5, default 8). */
  maxConfirmedAttempts: number;
}

/** The stores as seen inside one `atomically` unit, and the messages it will publish. */
export interface UnitOfWork {
  devices: DeviceStore;
  queue: DownlinkQueueStore;
  /** Stored in history with the unit's changes; published once it committed. */
  record(message: BusMessage): void;
}

/** What every pipeline step may use: the core's ports, built once in createApplicationServer. */
export interface AsCore {
  devices: DeviceStore;
  queue: DownlinkQueueStore;
  publish: PublishUp;
  /**
   * Runs `fn` as one transaction, then publishes what it recorded: a downlink taken from the
   * queue and the `down/sent` that says so are durable together, so a crash between them cannot
   * lose the downlink (issue 7, crash safety).
   */
  atomically<T>(fn: (unit: UnitOfWork) => Promise<T>): Promise<T>;
  consoleEvents: ConsoleEvents;
  /** docs/behaviour.md §7; absent in tests that do not need payload formatting. */
  formatters?: FormatterService;
  clock: Clock;
  log: Logger;
  ids: IdSource;
  config: AsConfig;
  work: WorkHints;
}

/**
 * Devices known to have an empty queue and nothing pending, so the receive window after most
 * uplinks costs no database round trip (hot path). Anything that may add work calls `added`;
 * the version stops a window that raced with a push from marking the device idle.
 */
export class WorkHints {
  private readonly idle = new Set<string>();
  private readonly versions = new Map<string, number>();

  /**
   * With other instances (issue 14), a push there must wake the device here, where its windows
   * may be handled: `added` tells them (`w <app>/<dev>`, among the store's notices) and hears
   * theirs. A window that runs before the notice arrives skips the item; the next takes it.
   */
  constructor(private readonly others: Notices = noNotices()) {
    others.on((text) => {
      if (text === NOTICES_LOST) this.idle.clear();
      for (const line of text.split('\n')) if (line.startsWith('w ')) this.wake(line.slice(2));
    });
  }

  isIdle = (key: string) => this.idle.has(key);
  version = (key: string) => this.versions.get(key) ?? 0;
  added(key: string) {
    this.wake(key);
    this.others.send(`w ${key}`);
  }
  markIdle(key: string, seenVersion: number) {
    if (this.version(key) === seenVersion) this.idle.add(key);
  }

  private wake(key: string) {
    this.idle.delete(key);
    this.versions.set(key, this.version(key) + 1);
  }
}

export const deviceKey = (applicationId: string, deviceId: string) => `${applicationId}/${deviceId}`;
