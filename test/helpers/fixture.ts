/**
 * An in-process Mote for core tests: createMote as main.ts calls it, with a real SQLite store in
 * a temp dir (or PostgreSQL: `databaseUrl`), a clock moved by hand, no background timers (tests flush and tick themselves), and
 * every bus message recorded.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScriptPoolOptions } from '../../server/as/formatters/pool';
import { type BusMessage, createLocalBus } from '../../server/bus/bus';
import type { Clock } from '../../server/clock';
import { readConfig } from '../../server/config';
import { silentLogger } from '../../server/log';
import { createMote } from '../../server/mote';
import { downlinkReceiver } from '../../server/mqtt/downlinks';

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
  /** Items per device queue (default 10 000). */
  queueCapacity?: number;
  /** PostgreSQL instead of SQLite in `dir` (test/helpers/engines.ts `fixtureDatabase`). */
  databaseUrl?: string;
}

export async function openFixture(
  dir = mkdtempSync(join(tmpdir(), 'mote-as-')),
  options: FixtureOptions = {},
) {
  const clock = manualClock();
  const bus = createLocalBus((e) => {
    throw e;
  });
  const messages: BusMessage[] = [];
  bus.subscribe('*', (m) => messages.push(m));
  const config = readConfig({
    NODE_ENV: 'test',
    MOTE_DATA_DIR: dir,
    MOTE_DEMO: '0',
    MOTE_ADMIN_PASSWORD: 'fixture-password',
    MOTE_UDP_PORT: '0',
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
  });
  const mote = await createMote(
    { ...config, queueCapacity: options.queueCapacity ?? config.queueCapacity },
    {
      clock,
      bus,
      log: silentLogger,
      scripts: options.scripts ?? false,
      intervals: { historyFlushMs: 0, lastSeenFlushMs: 0, pruneMs: 0, simulatorTickMs: 0 },
    },
  );
  return {
    dir,
    databaseUrl: options.databaseUrl,
    mote,
    store: mote.store,
    clock,
    bus,
    as: mote.as,
    ns: mote.ns,
    sim: mote.sim,
    formatters: mote.formatters,
    /** `down/push|replace` as the MQTT frontend hands them to the core (raw payload bytes). */
    receiveDownlinks: downlinkReceiver(mote.as.downlinks),
    messages,
    /** Parsed JSON of the messages published on one event (`down/queued` …). */
    json: (event?: string) =>
      messages
        .filter((m) => !event || m.event === event)
        .map((m) => JSON.parse(m.payload.toString()) as TestJson),
    async close(removeDir = true) {
      await mote.close();
      if (removeDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type Fixture = Awaited<ReturnType<typeof openFixture>>;

/** A JoinEUI + DevEUI pair belongs to one device (issue 16): a second device needs its own `devEui`. */
export async function withDevice(f: Fixture, app = 'app1', dev = 'dev1', devEui = '4200000000000000') {
  if (!(await f.store.applications.exists(app))) await f.store.applications.create(app, {}, f.clock.now());
  await f.store.devices.create(app, dev, { dev_eui: devEui, join_eui: '4200000000000000' }, f.clock.now());
  return {
    device_id: dev,
    application_ids: { application_id: app },
    dev_eui: devEui,
    join_eui: '4200000000000000',
  };
}
