/**
 * The composition root: read config, open the store, build the core, then the frontends
 * (HTTP + console via Next, MQTT over TCP and WebSockets), listen. The only place that wires.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startFormatters } from './as/formatters/service';
import { createApplicationServer } from './as/server';
import { apiKeyService } from './auth/apiKeyService';
import { consoleAuth } from './auth/consoleAuth';
import { mqttAuthenticator } from './auth/mqttAuth';
import { createThrottle } from './auth/throttle';
import { createLocalBus } from './bus/bus';
import { systemClock } from './clock';
import { readConfig } from './config';
import { startHistoryWriter } from './history/writer';
import { createWebServer, listen } from './http/webServer';
import { createLogger } from './log';
import { createMqttServer } from './mqtt/server';
import { type MoteRuntime, setRuntime } from './registry';
import { seedDemo } from './sim/demo';
import { createSimulator } from './sim/simulator';
import { adminStore } from './store/admin';
import { apiKeyStore } from './store/apiKeys';
import { applicationStore } from './store/applications';
import { openSqliteStore } from './store/db';
import { deviceStore } from './store/devices';

async function main(): Promise<void> {
  const config = readConfig();
  const log = createLogger();
  const clock = systemClock;

  const store = await openSqliteStore(config.dataDir);
  const applications = applicationStore(store.db);
  const devices = deviceStore(store.db, store.dialect);
  const apiKeys = apiKeyService({ keys: apiKeyStore(store.db), applications, clock });
  const { loginFailures, mqttFailures, windowMs } = config.authThrottle;
  const console = consoleAuth({
    admin: adminStore(store.db),
    clock,
    throttle: createThrottle(loginFailures, windowMs),
  });
  const generatedPassword = await console.ensureAdmin(config.adminPassword);
  const bus = createLocalBus((err) => log.error({ err }, 'event bus listener failed'));

  // History, AS core with its payload formatters (scripts run in a worker pool), simulator. The
  // AS stores the downlink lifecycle through the history writer's transactions (crash safety).
  // The demo is seeded on a first start only.
  const history = startHistoryWriter({ store, bus, clock, log, config });
  const formatters = startFormatters(store, { log });
  const as = createApplicationServer({
    store,
    devices,
    bus,
    clock,
    log,
    formatters,
    config: { queueCapacity: config.queueCapacity },
    transaction: history.transaction,
  });
  const sim = createSimulator({ as, devices, applications, clock, log });
  const firstStart = (await applications.list()).length === 0;
  await sim.resume();
  if (config.demo && firstStart) await seedDemo({ applications, devices, formatters, sim, clock });
  sim.run();

  const runtime: MoteRuntime = {
    config,
    clock,
    log,
    store,
    applications,
    devices,
    apiKeys,
    console,
    bus,
    as,
    formatters,
    sim,
    mqttAddress: () => ({
      public_address: `${config.publicHost}:${mqttPort}`,
      public_tls_address: config.tls ? `${config.publicHost}:${config.tls.mqttsPort}` : undefined,
      websocket_path: '/mqtt',
    }),
  };
  setRuntime(runtime);

  // Frontends: MQTT (TCP, TLS, and WebSockets on the HTTP port), then HTTP with Next.
  const mqtt = createMqttServer(
    {
      authenticate: mqttAuthenticator({ apiKeys, console, applications }),
      bus,
      receiveDownlinks: as.receiveDownlinks,
      onCredentialRevoked: apiKeys.onRevoked,
    },
    { authFailures: { maxFailures: mqttFailures, windowMs } },
    log.child({ component: 'mqtt' }),
  );
  let ready = false;
  const web = await createWebServer({
    dev: config.dev,
    dir: fileURLToPath(new URL('..', import.meta.url)),
    log,
    healthy: () => ready && mqtt.listening(),
    handleUpgrade: mqtt.handleUpgrade,
  });
  const mqttPort = await mqtt.listenTcp(config.mqttPort, config.host);
  if (config.tls) {
    const tls = { cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) };
    await mqtt.listenTls(config.tls.mqttsPort, tls, config.host);
  }
  const httpPort = await listen(web, config.port, config.host);
  ready = true;

  log.info({ http: httpPort, mqtt: mqttPort, dataDir: config.dataDir }, 'mote ready');
  if (generatedPassword) {
    process.stdout.write(
      `\n  Console: http://localhost:${httpPort}  —  admin password (shown once, stored hashed):\n\n      ${generatedPassword}\n\n  Set MOTE_ADMIN_PASSWORD to choose your own.\n\n`,
    );
  }

  const shutdown = async (signal: string) => {
    log.info({ signal }, 'shutting down');
    web.close();
    web.closeAllConnections();
    // Each step runs even when one fails (a full or read-only disk cannot take the last
    // writes): the process still ends, and says what it could not finish.
    let failed = 0;
    const steps = {
      mqtt: () => mqtt.close(),
      sim: () => sim.close(),
      history: () => history.stop(),
      as: () => as.close(),
      formatters: () => formatters.close(),
      store: () => store.close(),
    };
    for (const [name, step] of Object.entries(steps)) {
      try {
        await step();
      } catch (err) {
        failed++;
        log.error({ err, step: name }, 'shutdown step failed');
      }
    }
    process.exit(failed === 0 ? 0 : 1);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(
    `mote failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
