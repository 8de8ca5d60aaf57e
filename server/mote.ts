/**
 * The composition root (docs/architecture.md): storage, then auth, bus, payload formatters, the
 * AS core, the network server in front of it, the gateway server, the simulator (in-process, or
 * through its virtual UDP gateway once listen() knows the gateway server's port), then the other
 * frontends (MQTT over TCP, TLS and WebSockets; HTTP and the console through Next). The only place that wires parts together: server/main.ts, the tests
 * and the bench all start Mote through `createMote`.
 */
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { type IdSource, systemIds } from './as/correlation';
import type { ScriptPoolOptions } from './as/formatters/pool';
import { type FormatterService, startFormatters } from './as/formatters/service';
import type { ApplicationServer } from './as/ports';
import { createConsoleEvents } from './as/publish';
import { createApplicationServer } from './as/server';
import { type ApiKeyService, apiKeyService } from './auth/apiKeyService';
import { type ConsoleAuth, consoleAuth } from './auth/consoleAuth';
import { createHashGate } from './auth/hashGate';
import { mqttAuthenticator } from './auth/mqttAuth';
import { createLocalBus, type EventBus } from './bus/bus';
import { type Clock, systemClock } from './clock';
import { localShared, redisShared } from './cluster/shared';
import type { Config } from './config';
import { createGatewayServer, type RunningGatewayServer } from './gs';
import { trustedProxies } from './http/clientAddress';
import { createHistoryReads, type HistoryReads } from './http/historyReads';
import { type MqttAddress, setRuntime } from './http/runtime';
import { createWebServer, listen } from './http/webServer';
import { createLogger, type Logger } from './log';
import { downlinkReceiver } from './mqtt/downlinks';
import { defaultMqttServerOptions } from './mqtt/options';
import { createMqttServer, type MqttServer, type MqttServerOptions } from './mqtt/server';
import { dropEvents } from './ns/dropEvent';
import type { NetworkServer } from './ns/ports';
import { createNetworkServer } from './ns/server';
import { seedDemo } from './sim/demo';
import type { Random } from './sim/random';
import { createSimulator, type Simulator } from './sim/simulator';
import { createSimUdpGateway, type SimUdpGateway } from './sim/udpGateway';
import { claimDataDir } from './store/dataDirLock';
import { openSqliteStore } from './store/db';
import { loadKek } from './store/kekFile';
import type { Store } from './store/ports';
import { openPostgresStore } from './store/postgres';
import { type Retention, startRetention } from './store/retention';

/** What tests and the bench may swap; main.ts passes none. */
export interface MoteOverrides {
  clock?: Clock;
  log?: Logger;
  ids?: IdSource;
  /** The simulator's randomness (radio metadata, keys), seeded in tests. */
  random?: Random;
  /** Another store implementation; by default SQLite in `config.dataDir`. */
  store?: Store;
  bus?: EventBus;
  /** Formatter script workers; `false` runs none (JavaScript formatters are unavailable). */
  scripts?: Omit<ScriptPoolOptions, 'log'> | false;
  /** Background work; 0 leaves each to explicit calls (`flush()`, `sim.tick()`, `prune()`). */
  intervals?: {
    historyFlushMs?: number;
    lastSeenFlushMs?: number;
    pruneMs?: number;
    simulatorTickMs?: number;
  };
  mqtt?: Partial<MqttServerOptions>;
}

export interface Mote {
  config: Config;
  clock: Clock;
  log: Logger;
  store: Store;
  bus: EventBus;
  apiKeys: ApiKeyService;
  consoleAuth: ConsoleAuth;
  /** Payload formatters (docs/behaviour.md §7). */
  formatters: FormatterService;
  /** The AS core (server/as): uplinks, downlink queues, simulated uplinks. */
  as: ApplicationServer;
  /** The network layer (server/ns): LoRaWAN frames in, `join`/`up` through the AS, frames out. */
  ns: NetworkServer;
  /** The network simulator (server/sim). */
  sim: Simulator;
  /** The simulator's virtual Semtech UDP gateway: used by devices started `via_udp`, or all of them with `MOTE_SIM_VIA_UDP`. */
  simGateway: SimUdpGateway;
  /** The gateway server (server/gs): Semtech UDP packet forwarders in front of the network layer. */
  gs: RunningGatewayServer;
  /** The registry changed a gateway: the gateway server looks it up again. */
  gatewaysChanged(eui: string): void;
  mqtt: MqttServer;
  retention: Retention;
  /** The admin password generated on the very first start, to be shown once. */
  generatedPassword?: string;
  /** Where MQTT clients should connect, for `mqtt-connection-info` and the console. */
  mqttAddress(): MqttAddress;
  /** Concurrent history reads per key or console session (issue 17 item 3). */
  historyReads: HistoryReads;
  /** Opens the listeners; `web: false` leaves out HTTP and the console (bench, MQTT tests). */
  listen(options?: { web?: boolean }): Promise<{ http?: number; mqtt: number; udp: number }>;
  /** Writes what is batched (history, last-seen times); tests call it instead of waiting. */
  flush(): Promise<void>;
  /** Stops everything; each step runs even when one fails, then the first failure is thrown. */
  close(): Promise<void>;
}

export async function createMote(config: Config, o: MoteOverrides = {}): Promise<Mote> {
  const clock = o.clock ?? systemClock;
  const log = o.log ?? createLogger();
  const intervals = o.intervals ?? {};

  const storeOptions = {
    log,
    history: { flushIntervalMs: intervals.historyFlushMs },
    kek: loadKek(config.dataDir, config.kek),
    clock,
  };
  // SQLite serves one instance: a second process on the same data dir is refused at start.
  const claim = o.store || config.databaseUrl ? undefined : claimDataDir(config.dataDir);
  const store =
    o.store ??
    (config.databaseUrl
      ? await openPostgresStore(config.databaseUrl, storeOptions)
      : await openSqliteStore(config.dataDir, storeOptions).catch((e: unknown) => {
          claim?.release();
          throw e;
        }));
  const retention = startRetention(store.history, {
    clock,
    log,
    days: config.historyDays,
    maxRows: config.historyMaxRows,
    intervalMs: intervals.pruneMs ?? 600_000,
  });

  const onListenerError = (err: unknown) => log.error({ err }, 'event bus listener failed');
  // With REDIS_URL, what instances share goes through Redis (docs/scale-out.md).
  const shared = config.redisUrl
    ? await redisShared(config.redisUrl, log.child({ component: 'redis' }), onListenerError)
    : localShared();
  // Caches of the store hear of other instances' writes (issue 14); alone, nothing is sent.
  if (config.redisUrl) store.shareCaches?.(shared.cacheChanges);

  const { loginFailures, mqttFailures, windowMs, maxConcurrentHashes } = config.authThrottle;
  const apiKeys = apiKeyService({ keys: store.apiKeys, applications: store.applications, clock });
  const consoleAuthn = consoleAuth({
    admin: store.admin,
    clock,
    throttle: shared.loginThrottle(loginFailures, windowMs),
    hashGate: createHashGate(maxConcurrentHashes),
    ...(shared.consoleTokens ? { tokens: shared.consoleTokens } : {}),
  });
  const generatedPassword = await consoleAuthn.ensureAdmin(config.adminPassword);
  const bus = o.bus ?? shared.bus ?? createLocalBus(onListenerError);

  const formatters = startFormatters(
    store,
    o.scripts === false ? undefined : { suspendAfter: config.formatterSuspendAfter, ...o.scripts, log },
    shared.cacheChanges,
  );
  const ids = o.ids ?? systemIds;
  const as = createApplicationServer({
    store,
    bus,
    clock,
    log,
    ids,
    formatters,
    config: { queueCapacity: config.queueCapacity },
    flushIntervalMs: intervals.lastSeenFlushMs,
    others: shared.cacheChanges,
  });

  const ns = createNetworkServer({
    registry: store.nsDevices,
    as,
    clock,
    ids,
    log: log.child({ component: 'ns' }),
    netId: config.netId,
    onDrop: dropEvents(createConsoleEvents(bus).uplinkDrop, { clock, ids }),
    // The gateway server, built next, shows in each gateway's traffic what became of its frames.
    onFrameHandled: (phyPayload, outcome) => gs.frameHandled(phyPayload, outcome),
  });

  const gs = createGatewayServer({
    ns,
    gateways: store.gateways,
    clock,
    log,
    options: { host: config.udp.host, port: config.udp.port },
    // With REDIS_URL: merge windows and pull addresses across instances (docs/scale-out.md).
    ...(shared.gateways ? { cluster: shared.gateways } : {}),
  });

  // Its gateway server's port is known only after listen(): uplinks through it wait until then.
  const simGateway = createSimUdpGateway({
    gateways: store.gateways,
    registered: (eui) => gs.invalidate(eui),
    log,
  });
  // The demo is seeded on a first start only; devices simulated before a restart carry on.
  const sim = createSimulator({
    ns,
    udp: simGateway,
    allViaUdp: config.simViaUdp,
    devices: store.devices,
    applications: store.applications,
    clock,
    log,
    random: o.random,
    leases: shared.leases(),
    rescanMs: shared.rescanMs,
    changes: shared.simChanges,
  });
  const firstStart = (await store.applications.list()).length === 0;
  await sim.resume();
  if (config.demo && firstStart)
    await seedDemo({ applications: store.applications, devices: store.devices, formatters, sim, clock });
  if ((intervals.simulatorTickMs ?? 200) > 0) sim.run(intervals.simulatorTickMs);

  apiKeys.onRevoked(shared.revocations.revoke);
  // Keys changed on other instances are read again; after Redis was away, all of them.
  shared.revocations.onRevoked(apiKeys.forget);
  shared.revocations.onLost(apiKeys.forgetAll);
  consoleAuthn.onRevoked(shared.revocations.revoke);
  const mqtt = createMqttServer(
    {
      authenticate: mqttAuthenticator({ apiKeys, console: consoleAuthn, applications: store.applications }),
      bus,
      receiveDownlinks: downlinkReceiver(as.downlinks),
      // Deleted or expired keys, and console sessions logged out (their console-token sessions),
      // on this instance or, through Redis, on another.
      onCredentialRevoked: shared.revocations.onRevoked,
      connectFailures: shared.connectFailures,
    },
    {
      authFailures: { ...defaultMqttServerOptions.authFailures, maxFailures: mqttFailures, windowMs },
      tenantId: config.tenantId,
      maxSubscriptions: config.mqttMaxSubscriptions,
      maxPendingConnections: config.mqttPending.max,
      maxPendingPerIp: config.mqttPending.perIp,
      connectTimeoutMs: config.mqttPending.connectTimeoutMs,
      ...o.mqtt,
    },
    log.child({ component: 'mqtt' }),
  );

  let web: Server | undefined;
  let mqttPort = config.mqttPort;
  let ready = false;
  const mote: Mote = {
    config,
    clock,
    log,
    store,
    bus,
    apiKeys,
    consoleAuth: consoleAuthn,
    formatters,
    as,
    ns,
    sim,
    simGateway,
    gs,
    gatewaysChanged: (eui) => gs.invalidate(eui),
    mqtt,
    retention,
    generatedPassword,
    historyReads: createHistoryReads(Math.max(1, config.historyReadsPerKey)),
    mqttAddress: () => ({
      public_address: `${config.publicHost}:${mqttPort}`,
      public_tls_address: config.tls ? `${config.publicHost}:${config.tls.mqttsPort}` : undefined,
      websocket_path: '/mqtt',
    }),
    async listen({ web: withWeb = true } = {}) {
      if (withWeb) {
        web = await createWebServer({
          dev: config.dev,
          dir: fileURLToPath(new URL('..', import.meta.url)),
          log,
          healthy: () => ready && mqtt.listening(),
          handleUpgrade: mqtt.handleUpgrade,
          limits: config.http,
          proxies: trustedProxies(config.trustedProxies),
        });
      }
      mqttPort = await mqtt.listenTcp(config.mqttPort, config.host);
      if (config.tls) {
        const tls = { cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) };
        await mqtt.listenTls(config.tls.mqttsPort, tls, config.host);
      }
      const udp = (await gs.listen()).port;
      simGateway.connect({ host: loopbackOf(config.udp.host), port: udp });
      // Registered and pulling at once, so the console lists it before the first uplink.
      if (config.simViaUdp) await simGateway.start();
      const http = web ? await listen(web, config.port, config.host) : undefined;
      ready = true;
      return { http, mqtt: mqttPort, udp };
    },
    async flush() {
      await as.flush();
      await store.history.flush();
    },
    async close() {
      web?.close();
      web?.closeAllConnections();
      // A full or read-only disk cannot take the last writes: every step still runs, so the
      // process ends, and says what it could not finish.
      const steps = {
        // The virtual gateway first: device turns waiting for a receive window end without one.
        simGateway: () => simGateway.close(),
        // Gateways next: no new uplinks, and downlinks awaiting a TX_ACK settle as not sent.
        gs: () => gs.close(),
        mqtt: () => mqtt.close(),
        sim: () => sim.close(),
        as: () => as.close(),
        retention: () => retention.stop(),
        formatters: () => formatters.close(),
        // After the simulator has let its leases go: other instances take its devices at once.
        shared: () => shared.close(),
        store: () => store.close(),
        dataDir: async () => claim?.release(),
      };
      let failure: unknown;
      for (const [name, step] of Object.entries(steps)) {
        try {
          await step();
        } catch (err) {
          failure ??= err;
          log.error({ err, step: name }, 'shutdown step failed');
        }
      }
      if (failure !== undefined) throw failure;
    },
  };
  // Route handlers are bundled apart from this module; they find the running Mote here.
  setRuntime(mote);
  return mote;
}

/** Where this host reaches a socket bound to `host`: loopback for a wildcard address. */
function loopbackOf(host: string): string {
  if (host === '' || host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '::1';
  return host;
}
