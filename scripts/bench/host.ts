/**
 * The Mote under test (child process): composed the way server/main.ts composes it — store →
 * auth → bus → AS core → MQTT server — plus the history writer and the bench's injector. The
 * HTTP/Next frontend is left out: no scenario here goes through it, and it would only add noise.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiKeyService } from '../../server/auth/apiKeyService';
import { consoleAuth } from '../../server/auth/consoleAuth';
import { mqttAuthenticator } from '../../server/auth/mqttAuth';
import { createThrottle } from '../../server/auth/throttle';
import { createLocalBus } from '../../server/bus/bus';
import { systemClock } from '../../server/clock';
import { createLogger } from '../../server/log';
import { createMqttServer } from '../../server/mqtt/server';
import { adminStore } from '../../server/store/admin';
import { apiKeyStore } from '../../server/store/apiKeys';
import { applicationStore } from '../../server/store/applications';
import { openSqliteStore } from '../../server/store/db';
import { deviceStore } from '../../server/store/devices';
import { startHistoryWriter } from './history-writer';
import { createInjector, type Injector } from './inject';
import { pace } from './pace';
import { nowUs, serve } from './rpc';

export interface HostInfo {
  port: number;
  applicationId: string;
  deviceIds: string[];
  key: string;
  inject: Injector['path'];
  downlinks: boolean;
}

const APP = 'bench-app';
const DEVICES = 100;

async function start(): Promise<{
  info: HostInfo;
  injector: Injector;
  history: ReturnType<typeof startHistoryWriter>;
  close(): Promise<void>;
}> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mote-bench-'));
  const log = createLogger(process.env.BENCH_LOG_LEVEL ?? 'error');
  const store = await openSqliteStore(dataDir);
  const applications = applicationStore(store.db);
  const devices = deviceStore(store.db);
  const apiKeys = apiKeyService({ keys: apiKeyStore(store.db), applications, clock: systemClock });
  const console = consoleAuth({
    admin: adminStore(store.db),
    clock: systemClock,
    throttle: createThrottle(5, 60_000),
  });
  const bus = createLocalBus((err) => log.error({ err }, 'event bus listener failed'));

  const now = new Date();
  await applications.create(APP, { name: 'bench' }, now);
  const deviceIds = Array.from({ length: DEVICES }, (_, i) => `dev-${i}`);
  for (const d of deviceIds)
    await devices.create(APP, d, { dev_eui: '4200000000000000', join_eui: '4200000000000000' }, now);
  const admin = { kind: 'admin' as const, credentialId: 'bench', username: 'admin' };
  const { key } = await apiKeys.create(admin, APP, { name: 'bench', rights: ['RIGHT_APPLICATION_ALL'] });

  const injector = await createInjector({ store, devices, bus, log, applicationId: APP, deviceIds });
  const history = startHistoryWriter(store, bus, log);
  const mqtt = createMqttServer(
    {
      authenticate: mqttAuthenticator({ apiKeys, console, applications }),
      bus,
      receiveDownlinks:
        injector.receiveDownlinks ??
        (async () => {
          throw new Error('no AS core: downlinks pending');
        }),
      onCredentialRevoked: (listener) => apiKeys.onRevoked(listener),
    },
    {},
    log,
  );
  const port = await mqtt.listenTcp(0, '127.0.0.1');
  return {
    info: {
      port,
      applicationId: APP,
      deviceIds,
      key,
      inject: injector.path,
      downlinks: !!injector.receiveDownlinks,
    },
    injector,
    history,
    async close() {
      await mqtt.close();
      await injector.close();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const host = await start();
let seq = 0;

serve({
  info: () => host.info,
  async inject(args: { rate: number; seconds: number }) {
    const result = await pace(args.rate, args.seconds, (count) => {
      host.injector.send(count, seq, nowUs);
      seq += count;
    });
    return result;
  },
  history: () => host.history.stats(),
  /** RSS after a full GC (the host runs with --expose-gc), for per-connection memory. */
  settledRssMb() {
    (globalThis as { gc?: () => void }).gc?.();
    return process.memoryUsage().rss / 1024 / 1024;
  },
  close: () => host.close(),
});
