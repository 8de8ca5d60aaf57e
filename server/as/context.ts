import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { DeviceStore } from '../store/devices';
import type { DownlinkQueueStore } from '../store/queue';
import type { IdSource } from './correlation';
import type { FormatterService } from './formatters/service';
import type { ConsoleEvents, PublishUp } from './publish';

export interface AsConfig {
  /** Items per device queue (SPEC §5, default 10 000). */
  queueCapacity: number;
  /** Confirmed downlink attempts when the client gives no `max_attempts` (SPEC §5, default 8). */
  maxConfirmedAttempts: number;
}

/** What every pipeline step may use: the core's ports, built once in createApplicationServer. */
export interface AsCore {
  devices: DeviceStore;
  queue: DownlinkQueueStore;
  publish: PublishUp;
  consoleEvents: ConsoleEvents;
  /** SPEC §7; absent in tests that do not need payload formatting. */
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

  isIdle = (key: string) => this.idle.has(key);
  version = (key: string) => this.versions.get(key) ?? 0;
  added(key: string) {
    this.idle.delete(key);
    this.versions.set(key, this.version(key) + 1);
  }
  markIdle(key: string, seenVersion: number) {
    if (this.version(key) === seenVersion) this.idle.add(key);
  }
}

export const deviceKey = (applicationId: string, deviceId: string) => `${applicationId}/${deviceId}`;
