/**
 * A Mote that is killed and restarted on the same data dir, under traffic: simulated devices
 * taking downlinks, and clients pushing them over HTTP and MQTT QoS 1. One cycle pushes, kills
 * with SIGKILL at a seeded moment, checks the store (the SQLite file read-only, or PostgreSQL's
 * rows), restarts, and looks for every acknowledged downlink. Shared by crash-safety.test.ts and
 * the soak script.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminSession, appWithKey, call } from './api';
import { type Acked, downlinkFates, type Fates, httpPusher, mqttPusher } from './downlinks';
import { type RunningMote, startMote } from './mote';
import type { Rng } from './prng';
import { checkPgStore, checkStore, type StoreCheck } from './store-check';

export interface CrashRig {
  mote: RunningMote;
  key: string;
  appId: string;
  devices: string[];
  dataDir: string;
  /** PostgreSQL's DATABASE_URL when the store is there; else the SQLite file in `dataDir`. */
  databaseUrl?: string;
  close(): Promise<void>;
}

export async function crashRig(options: { databaseUrl?: string } = {}): Promise<CrashRig> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mote-crash-'));
  const adminPassword = 'crash-safety-admin';
  const appId = 'crash';
  const devices = ['dev-a', 'dev-b', 'dev-c', 'dev-d', 'dev-e', 'dev-f', 'dev-g', 'dev-h'];
  const { databaseUrl } = options;
  const mote = await startMote({ dataDir, adminPassword, env: moteEnv(databaseUrl) });
  const key = await appWithKey(mote, appId, ['RIGHT_APPLICATION_ALL']);
  const admin = await adminSession(mote);
  for (const device of devices) {
    const created = await call(mote, admin, 'POST', `/api/v3/applications/${appId}/devices`, {
      end_device: { ids: { device_id: device } },
    });
    if (created.status !== 200) throw new Error(`create ${device}: ${JSON.stringify(created)}`);
    // The shortest interval: every device may take a downlink several times a second, so kills
    // land between a queue pop and everything that follows it. A third of acks are lost: retries.
    const sim = await call(
      mote,
      { key },
      'POST',
      `/api/v3/sim/applications/${appId}/devices/${device}/start`,
      {
        interval: '100ms',
        ack_loss: 0.3,
      },
    );
    if (sim.status !== 200) throw new Error(`start ${device}: ${JSON.stringify(sim)}`);
  }
  const rig: CrashRig = {
    mote,
    key,
    appId,
    devices,
    dataDir,
    databaseUrl,
    async close() {
      await rig.mote.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  // Restarts replace `rig.mote`; close stops whichever runs then.
  return rig;
}

const moteEnv = (databaseUrl: string | undefined): Record<string, string> =>
  databaseUrl ? { DATABASE_URL: databaseUrl } : {};

/**
 * Acknowledged downlinks found neither queued nor sent, asked again for a while: one may be in
 * flight (taken from the queue, its transmission not settled yet; after a kill, until the device's
 * next uplink puts it back) at the moment of asking (docs/behaviour.md §5.4).
 */
export async function unaccounted(
  rig: CrashRig,
  acked: readonly Acked[],
): Promise<{ missing: Acked[]; fates: Fates }> {
  let missing: Acked[] = [...acked];
  let fates = await downlinkFates(rig.mote, rig.key, rig.appId, rig.devices);
  for (let attempt = 0; attempt < 20; attempt++) {
    if (attempt > 0) {
      await new Promise((r) => setTimeout(r, 500));
      fates = await downlinkFates(rig.mote, rig.key, rig.appId, rig.devices);
    }
    missing = missing.filter((a) => !fates.queued.has(a.cid) && !fates.sent.has(a.cid));
    if (missing.length === 0) break;
  }
  return { missing, fates };
}

export interface CycleResult {
  httpAcked: number;
  mqttAcked: number;
  acked: Acked[];
  /** Acknowledged in this cycle, neither queued nor sent after the restart. */
  missing: Acked[];
  /** Of this cycle's, how many were sent by the time it was checked. */
  sentNow: number;
  sentInAll: number;
  store: StoreCheck;
  /** Integrity failures, torn rows, orphan correlation IDs. */
  problems: string[];
}

export async function crashCycle(rig: CrashRig, rng: Rng, cycle: number): Promise<CycleResult> {
  const { appId, devices, key } = rig;
  // About as fast as the devices take downlinks, so queues stay short and what is pushed in a
  // cycle is also sent in it: kills land between pushes, pops and their records.
  const http = httpPusher(rig.mote, key, appId, devices, rng, {
    tag: `c${cycle}`,
    concurrency: 1,
    gapMs: 60,
  });
  const mqtt = mqttPusher(rig.mote.mqttPort, appId, key, devices, rng, {
    tag: `c${cycle}`,
    window: 1,
    gapMs: 60,
  });
  // A seeded moment, but not before each pusher has had one push acknowledged: on a busy
  // machine the first requests can take longer than the whole window, and a kill then tests
  // nothing (bounded: pushes refused throughout show up as nothing acknowledged).
  const until = performance.now() + 30_000;
  await Promise.all([
    new Promise((r) => setTimeout(r, rng.range(300, 1500))),
    (async () => {
      while ((http.acked.length === 0 || mqtt.acked.length === 0) && performance.now() < until)
        await new Promise((r) => setTimeout(r, 20));
    })(),
  ]);
  await rig.mote.kill();
  await Promise.all([http.stop(), mqtt.stop()]);
  const acked = [...http.acked, ...mqtt.acked];

  const store = rig.databaseUrl ? await checkPgStore(rig.databaseUrl) : checkStore(rig.dataDir);
  const problems: string[] = [];
  if (store.integrity !== 'ok' && store.integrity !== 'n/a')
    problems.push(`integrity_check: ${store.integrity}`);
  problems.push(...store.tornRows);
  if (store.orphanCorrelationIds > 0) problems.push(`${store.orphanCorrelationIds} orphan correlation IDs`);

  rig.mote = await startMote({
    dataDir: rig.dataDir,
    adminPassword: 'crash-safety-admin',
    env: moteEnv(rig.databaseUrl),
  });
  const { missing, fates } = await unaccounted(rig, acked);
  return {
    httpAcked: http.acked.length,
    mqttAcked: mqtt.acked.length,
    acked,
    missing,
    sentNow: acked.filter((a) => fates.sent.has(a.cid)).length,
    sentInAll: fates.sent.size,
    store,
    problems: problems.map((p) => `cycle ${cycle}: ${p}`),
  };
}
