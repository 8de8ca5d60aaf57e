/**
 * The Mote under test (child process), composed as server/main.ts composes it — store → auth →
 * bus → AS core → history writer → MQTT server — plus the bench's uplink injector. The HTTP/Next
 * frontend and the simulator are left out: no scenario here goes through them.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { startFormatters } from '../../server/as/formatters/service';
import { createApplicationServer } from '../../server/as/server';
import { apiKeyService } from '../../server/auth/apiKeyService';
import { consoleAuth } from '../../server/auth/consoleAuth';
import { mqttAuthenticator } from '../../server/auth/mqttAuth';
import { createThrottle } from '../../server/auth/throttle';
import { createLocalBus } from '../../server/bus/bus';
import { systemClock as clock } from '../../server/clock';
import { startHistoryWriter } from '../../server/history/writer';
import { createLogger } from '../../server/log';
import { createMqttServer } from '../../server/mqtt/server';
import { adminStore } from '../../server/store/admin';
import { apiKeyStore } from '../../server/store/apiKeys';
import { applicationStore } from '../../server/store/applications';
import { openSqliteStore } from '../../server/store/db';
import { deviceStore } from '../../server/store/devices';
import { uplinkInjector } from './inject';
import { pace } from './pace';
import { nowUs, serve } from './rpc';

export interface HostInfo {
  port: number;
  applicationId: string;
  deviceIds: string[];
  key: string;
}

const APP = 'bench-app';
const deviceIds = Array.from({ length: 100 }, (_, i) => `dev-${i}`);

const dataDir = mkdtempSync(join(tmpdir(), 'mote-bench-'));
const log = createLogger(process.env.BENCH_LOG_LEVEL ?? 'error');
const store = await openSqliteStore(dataDir);
const applications = applicationStore(store.db);
const devices = deviceStore(store.db, store.dialect);
const apiKeys = apiKeyService({ keys: apiKeyStore(store.db), applications, clock });
const console = consoleAuth({ admin: adminStore(store.db), clock, throttle: createThrottle(5, 60_000) });
const bus = createLocalBus((err) => log.error({ err }, 'event bus listener failed'));
const history = startHistoryWriter({
  store,
  bus,
  clock,
  log,
  config: { historyDays: 7, historyMaxRows: 1_000_000 },
});
// Formatters as in main.ts: the uplink path looks up each device's formatter (none here).
const formatters = startFormatters(store, { log });
const as = createApplicationServer({
  store,
  devices,
  bus,
  clock,
  log,
  formatters,
  config: { queueCapacity: 10_000 },
  transaction: history.transaction,
});
const mqtt = createMqttServer(
  {
    authenticate: mqttAuthenticator({ apiKeys, console, applications }),
    bus,
    receiveDownlinks: as.receiveDownlinks,
    onCredentialRevoked: (listener) => apiKeys.onRevoked(listener),
  },
  {},
  log,
);

// The application, its devices and an API key, made the way the HTTP API makes them.
const now = clock.now();
await applications.create(APP, { name: 'bench' }, now);
for (const d of deviceIds)
  await devices.create(APP, d, { dev_eui: '4200000000000000', join_eui: '4200000000000000' }, now);
const admin = { kind: 'admin' as const, credentialId: 'bench', username: 'admin' };
const { key } = await apiKeys.create(admin, APP, { name: 'bench', rights: ['RIGHT_APPLICATION_ALL'] });
const port = await mqtt.listenTcp(0, '127.0.0.1');

const inject = uplinkInjector(as, APP, deviceIds, log);
let seq = 0;

/** Event-loop lag: a stall here delays every message, whatever the path. */
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();
/** GC pauses (main thread), the usual other cause of a stall. */
const gcPauses = { maxMs: 0, totalMs: 0 };
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    gcPauses.maxMs = Math.max(gcPauses.maxMs, e.duration);
    gcPauses.totalMs += e.duration;
  }
}).observe({ entryTypes: ['gc'] });

let closing: Promise<void> | undefined;
/** Once, whether the parent asks or lets go: the temp data dir must not outlive the run. */
function close() {
  closing ??= (async () => {
    await mqtt.close();
    await history.stop();
    await as.close();
    await formatters.close();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  })();
  return closing;
}

serve(
  {
    info: (): HostInfo => ({ port, applicationId: APP, deviceIds, key }),
    inject: (args: { rate: number; seconds: number }) =>
      pace(args.rate, args.seconds, (count) => {
        inject(count, seq, nowUs);
        seq += count;
      }),
    /** Waits until the history writer has caught up (after an overloaded step). */
    settle: () => history.flush(),
    /** Event-loop delay since the last call, in ms (p99 and max), then starts afresh. */
    loopDelay() {
      const out = {
        p99_ms: loopDelay.percentile(99) / 1e6,
        max_ms: loopDelay.max / 1e6,
        gc_max_ms: gcPauses.maxMs,
        gc_total_ms: gcPauses.totalMs,
      };
      loopDelay.reset();
      gcPauses.maxMs = 0;
      gcPauses.totalMs = 0;
      return out;
    },
    /** RSS after a full GC (the host runs with --expose-gc), for memory per connection. */
    settledRssMb() {
      (globalThis as { gc?: () => void }).gc?.();
      return process.memoryUsage().rss / 1024 / 1024;
    },
    close,
  },
  close,
);
