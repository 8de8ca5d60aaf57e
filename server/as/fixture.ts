/** Test fixture: a real SQLite store in a temp dir, the in-process bus, and a recorded topic log. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BusMessage, createLocalBus } from '../bus/bus';
import type { Clock } from '../clock';
import { startHistoryWriter } from '../history/writer';
import { silentLogger } from '../log';
import { applicationStore } from '../store/applications';
import { openSqliteStore, type Store } from '../store/db';
import { deviceStore } from '../store/devices';
import type { AsConfig } from './context';
import type { ScriptPoolOptions } from './formatters/pool';
import { startFormatters } from './formatters/service';
import { createApplicationServer } from './server';

// biome-ignore lint/suspicious/noExplicitAny: tests read deep into published JSON
type TestJson = Record<string, any>;

/** A clock tests move by hand: no sleeping, no timing-dependent assertions. */
export function manualClock(start = '2025-01-01T00:00:00.000Z') {
  let t = Date.parse(start);
  const clock: Clock & { advance(ms: number): void } = {
    now: () => new Date(t),
    advance: (ms) => {
      t += ms;
    },
  };
  return clock;
}

export interface FixtureOptions {
  /** Run JavaScript formatters in a real worker pool (off by default: workers take ~1 s to start). */
  scripts?: Omit<ScriptPoolOptions, 'log'>;
  /**
   * A history writer (flushed by hand) wired into the AS as main.ts wires it, so the downlink
   * lifecycle is stored as it commits.
   */
  history?: boolean;
}

export async function openFixture(
  dir = mkdtempSync(join(tmpdir(), 'mote-as-')),
  config: Partial<AsConfig> = {},
  options: FixtureOptions = {},
) {
  const store: Store = await openSqliteStore(dir);
  const clock = manualClock();
  const bus = createLocalBus((e) => {
    throw e;
  });
  const messages: BusMessage[] = [];
  bus.subscribe('*', (m) => messages.push(m));
  const devices = deviceStore(store.db, store.dialect);
  const applications = applicationStore(store.db);
  const history = options.history
    ? startHistoryWriter({
        store,
        bus,
        clock,
        log: silentLogger,
        config: { historyDays: 7, historyMaxRows: 1000 },
        flushIntervalMs: 0,
        pruneIntervalMs: 0,
      })
    : undefined;
  const formatters = startFormatters(store, options.scripts && { ...options.scripts, log: silentLogger });
  const as = createApplicationServer({
    store,
    devices,
    bus,
    clock,
    log: silentLogger,
    formatters,
    config: { queueCapacity: 10_000, ...config },
    flushIntervalMs: 0,
    transaction: history?.transaction,
  });
  return {
    dir,
    store,
    clock,
    bus,
    devices,
    applications,
    as,
    history,
    formatters,
    messages,
    /** Parsed JSON of the messages published on one event (`down/queued` …). */
    json: (event?: string) =>
      messages
        .filter((m) => !event || m.event === event)
        .map((m) => JSON.parse(m.payload.toString()) as TestJson),
    async close(removeDir = true) {
      await history?.stop();
      await as.close();
      await formatters.close();
      await store.close();
      if (removeDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type Fixture = Awaited<ReturnType<typeof openFixture>>;

export async function withDevice(f: Fixture, app = 'app1', dev = 'dev1') {
  if (!(await f.applications.exists(app))) await f.applications.create(app, {}, f.clock.now());
  await f.devices.create(
    app,
    dev,
    { dev_eui: '4200000000000000', join_eui: '4200000000000000' },
    f.clock.now(),
  );
  return {
    device_id: dev,
    application_ids: { application_id: app },
    dev_eui: '4200000000000000',
    join_eui: '4200000000000000',
  };
}
