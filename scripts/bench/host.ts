/**
 * The Mote under test (child process), started by createMote as server/main.ts starts it, with
 * the MQTT listener only (no scenario here goes through HTTP or the console), no demo and no
 * simulator ticks; plus the bench's uplink injector. Its gateway server listens on a free UDP
 * port for the radio scenario's emulated forwarders.
 */

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { readConfig } from '../../server/config';
import { createLogger } from '../../server/log';
import { createMote } from '../../server/mote';
import { uplinkInjector } from './inject';
import { nsBench } from './nsHost';
import { pace } from './pace';
import { radioSetup } from './radioHost';
import { nowUs, serve } from './rpc';

export interface HostInfo {
  port: number;
  /** The gateway server's Semtech UDP port. */
  udpPort: number;
  applicationId: string;
  deviceIds: string[];
  key: string;
}

const APP = 'bench-app';
const deviceIds = Array.from({ length: 100 }, (_, i) => `dev-${i}`);

const dataDir = mkdtempSync(join(tmpdir(), 'mote-bench-'));
const config = readConfig({
  // Every bench client connects from 127.0.0.1, standing for devices on many addresses: the
  // per-address cap on pending CONNECTs (issue 17) would turn a storm into evictions.
  MOTE_MQTT_MAX_PENDING_PER_IP: '1000',
  ...process.env,
  MOTE_DATA_DIR: dataDir,
  MOTE_DEMO: '0',
  MOTE_ADMIN_PASSWORD: 'bench-admin-password',
  MQTT_PORT: '0',
  MOTE_UDP_PORT: '0',
  HOST: '127.0.0.1',
});
const mote = await createMote(config, {
  log: createLogger(process.env.BENCH_LOG_LEVEL ?? 'error'),
  intervals: { simulatorTickMs: 0 },
});
const { store, apiKeys, as, log } = mote;

// The application, its devices and an API key, made the way the HTTP API makes them.
const now = mote.clock.now();
await store.applications.create(APP, { name: 'bench' }, now);
// One device per DevEUI + JoinEUI, as the registry requires (end_device_euis_taken).
for (const [i, d] of deviceIds.entries()) {
  const devEui = `42000000${i.toString(16).toUpperCase().padStart(8, '0')}`;
  await store.devices.create(APP, d, { dev_eui: devEui, join_eui: '4200000000000000' }, now);
}
const admin = { kind: 'admin' as const, credentialId: 'bench', username: 'admin' };
const { key } = await apiKeys.create(admin, APP, { name: 'bench', rights: ['RIGHT_APPLICATION_ALL'] });
const { mqtt: port, udp: udpPort } = await mote.listen({ web: false });

const inject = uplinkInjector(as, APP, deviceIds, log);
let seq = 0;
const network = nsBench({
  ns: mote.ns,
  as,
  devices: store.devices,
  registry: store.nsDevices,
  applicationId: APP,
  now: () => mote.clock.now(),
  flush: () => mote.flush(),
  log,
});

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

/** The main thread's CPU profile over one step only (BENCH_STEP_PROF), without start-up and set-up. */
const inspector = new Session();
inspector.connect();

let closing: Promise<void> | undefined;
/** Once, whether the parent asks or lets go: the temp data dir must not outlive the run. */
function close() {
  closing ??= (async () => {
    await mote.close();
    rmSync(dataDir, { recursive: true, force: true });
  })();
  return closing;
}

serve(
  {
    info: (): HostInfo => ({ port, udpPort, applicationId: APP, deviceIds, key }),
    inject: (args: { rate: number; seconds: number }) =>
      pace(args.rate, args.seconds, (count) => {
        inject(count, seq, nowUs);
        seq += count;
      }),
    /** The network-layer step (nsHost.ts): ABP devices, frames prepared untimed, then paced. */
    abpDevices: (args: { count: number }) => network.abpDevices(args),
    prepareFrames: (args: { count: number }) => network.prepare(args),
    injectFrames: (args: { rate: number; seconds: number }) =>
      pace(args.rate, args.seconds, (count) => {
        network.inject(count, seq, nowUs);
        seq += count;
      }),
    framesPreparedLate: () => network.preparedLate(),
    nsMicro: (args: { count: number; warmup: number }) => network.micro(args),
    /** The radio scenario (radio.ts): gateways and ABP devices registered, their keys returned. */
    radioSetup: (args: { gateways: number; devices: number }) =>
      radioSetup(
        {
          gateways: store.gateways,
          gatewaysChanged: mote.gatewaysChanged,
          devices: store.devices,
          applicationId: APP,
          now: () => mote.clock.now(),
        },
        args,
      ),
    /** The gateway server's and network layer's counters (drops by cause), since the start. */
    radioStats: () => ({ gs: mote.gs.stats(), ns: mote.ns.stats() }),
    profileStart: async () => {
      await inspector.post('Profiler.enable');
      await inspector.post('Profiler.start');
      await inspector.post('HeapProfiler.enable');
      await inspector.post('HeapProfiler.startSampling', {
        samplingInterval: 4096,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      });
    },
    profileStop: async (args: { file: string }) => {
      const { profile } = await inspector.post('Profiler.stop');
      writeFileSync(args.file, JSON.stringify(profile));
      const heap = await inspector.post('HeapProfiler.stopSampling');
      writeFileSync(args.file.replace(/\.cpuprofile$/, '.heapprofile'), JSON.stringify(heap.profile));
    },
    /** Waits until the history write-behind has caught up (after an overloaded step). */
    settle: () => store.history.flush(),
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
