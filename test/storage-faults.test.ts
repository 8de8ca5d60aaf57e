/**
 * Storage faults (issue 7). Mote's data directory on a small file system that fills up (a 4 MB
 * tmpfs), or that the kernel turns read-only under it (ext4 on a loop device, `errors=remount-ro`,
 * failed through ext4's own `trigger_fs_error`, as a failing disk would). Writes must be refused
 * with a 503 naming the storage problem (HTTP) or a `down/failed` saying so (MQTT); reads,
 * uplinks and MQTT sessions go on; the process never crashes. When space returns, everything
 * works again and no history message published meanwhile is lost. A kernel-read-only file system
 * comes back only through unmount and fsck, so there recovery is a restart on the repaired disk.
 * Needs root to mount (CI runs as root); skipped with the reason printed where it cannot mount.
 *
 * SQLite only. On PostgreSQL (issue 14) the data directory holds nothing but the `kek` file, read
 * once at start: filling it or turning it read-only changes nothing Mote does. The database's
 * own disk is its server's: PostgreSQL answers a full disk with SQLSTATE class 53, mapped to
 * `storage_full` by server/store/pgFaults.ts (pgFaults.test.ts), and a server that cannot write
 * its WAL stops, which Mote sees as the server going away (503 `storage_unavailable` and
 * recovery: test/postgres-store.test.ts).
 */
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, appWithKey, type Caller, call } from './helpers/api';
import { at } from './helpers/at';
import { type RunningMote, startMote } from './helpers/mote';

const APP = 'disk';
const DEV = 'dev1';
const tally = { writes: 0, refused503: 0, internal500: 0, historyKept: 0, restarts: 0 };

const run = (cmd: string, ...args: string[]) => execFileSync(cmd, args, { stdio: 'pipe' }).toString().trim();

/** Mounts a file system for a test, or says why it cannot be done here. */
interface Mechanism {
  why?: string;
}

function probe(attempt: () => void): Mechanism {
  if (process.getuid?.() !== 0) return { why: 'not root: mounting needs root (CI runs as root)' };
  try {
    attempt();
    return {};
  } catch (e) {
    return { why: (e as Error).message.split('\n')[0] };
  }
}

function mountTmpfs(dir: string, size: string) {
  run('mount', '-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir);
}

/** ext4 in an image file on a loop device; the kernel makes it read-only on the first error. */
function mountExt4(image: string, dir: string): string {
  run('mount', '-o', 'loop,errors=remount-ro', image, dir);
  const device = basename(run('findmnt', '-no', 'SOURCE', dir));
  if (!existsSync(`/sys/fs/ext4/${device}/trigger_fs_error`)) {
    run('umount', dir);
    throw new Error(`no /sys/fs/ext4/${device}/trigger_fs_error in this kernel`);
  }
  return device;
}

const tmpfs = probe(() => {
  const dir = mkdtempSync(join(tmpdir(), 'mote-probe-'));
  try {
    mountTmpfs(dir, '1m');
    run('umount', dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
const ext4 = probe(() => {
  const dir = mkdtempSync(join(tmpdir(), 'mote-probe-'));
  const image = `${dir}.img`;
  try {
    writeFileSync(image, '');
    run('truncate', '-s', '8M', image);
    run('mkfs.ext4', '-q', image);
    mountExt4(image, dir);
    run('umount', dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(image, { force: true });
  }
});
if (tmpfs.why) console.log(`storage faults (disk full): SKIPPED — cannot mount a tmpfs: ${tmpfs.why}`);
if (ext4.why)
  console.log(`storage faults (read-only): SKIPPED — cannot mount ext4 on a loop device: ${ext4.why}`);

afterAll(() => {
  console.log(
    `storage faults: ${tally.writes} writes during faults — ${tally.refused503} refused with 503 naming the problem, ` +
      `${tally.internal500} answered 500; crashes 0; ${tally.historyKept} messages published during a fault found in history; ` +
      `${tally.restarts} restarts on a repaired disk`,
  );
});

/** A running Mote on `dir`, with an application, a simulated device and an MQTT subscriber. */
class Scenario {
  mote!: RunningMote;
  admin!: Caller;
  key!: string;
  subscriber!: MqttClient;
  readonly received: { topic: string; body: Record<string, unknown> }[] = [];

  constructor(readonly dir: string) {}

  async start(fresh: boolean) {
    this.mote = await startMote({ dataDir: this.dir, adminPassword: this.mote?.adminPassword });
    this.admin = await adminSession(this.mote);
    if (fresh) {
      this.key = await appWithKey(this.mote, APP, ['RIGHT_APPLICATION_ALL']);
      const dev = await call(this.mote, this.admin, 'POST', `/api/v3/applications/${APP}/devices`, {
        end_device: { ids: { device_id: DEV, dev_eui: '70B3D57ED0000C01', join_eui: '0000000000000000' } },
      });
      expect(dev.status).toBe(200);
      // A simulated device keeps the background writers busy: history, last seen, its own state.
      const sim = await call(
        this.mote,
        this.admin,
        'POST',
        `/api/v3/sim/applications/${APP}/devices/${DEV}/start`,
        {
          interval: '1s',
        },
      );
      expect(sim.status).toBe(200);
    }
    this.subscriber = await mqtt.connectAsync(`mqtt://127.0.0.1:${this.mote.mqttPort}`, {
      username: APP,
      password: this.key,
      reconnectPeriod: 0,
    });
    this.subscriber.on('message', (topic, payload) =>
      this.received.push({ topic, body: JSON.parse(payload.toString()) }),
    );
    await this.subscriber.subscribeAsync('#', { qos: 1 });
  }

  async stop() {
    await this.subscriber?.endAsync(true);
    await this.mote?.stop();
    // Shutting down on a broken disk must still be orderly: nothing thrown past main().
    const crash = /Unhandled|uncaught|mote failed/i.exec(this.mote?.output() ?? '');
    expect(crash ? this.mote.output().slice(Math.max(0, crash.index - 2000), crash.index + 2000) : '').toBe(
      '',
    );
  }

  count = (suffix: string) => this.received.filter((m) => m.topic.endsWith(suffix)).length;

  async until(check: () => boolean) {
    while (!check()) await new Promise((r) => setTimeout(r, 50));
  }

  /** A write that must be refused with 503 and a message naming the storage problem. */
  async refused(method: string, path: string, body: unknown, name: RegExp) {
    const r = await call<{ message: string; details: { name: string }[] }>(
      this.mote,
      this.admin,
      method,
      path,
      body,
    );
    tally.writes++;
    if (r.status === 500) tally.internal500++;
    expect(r.status, `${method} ${path}: ${JSON.stringify(r.body)}`).toBe(503);
    expect(at(r.body.details, 0).name).toMatch(name);
    expect(r.body.message).toMatch(/^storage is (full|read-only)/);
    tally.refused503++;
  }

  /**
   * Over MQTT 3.1.1 the push is acknowledged (the protocol has no failed PUBACK) and a
   * `down/failed` names the problem; an MQTT 5 client hears 0x80 in its PUBACK as well.
   */
  async refusedOverMqtt(name: RegExp) {
    const push = (cid: string) =>
      JSON.stringify({ downlinks: [{ f_port: 1, frm_payload: 'AQ==', correlation_ids: [cid] }] });
    const before = this.count('/down/failed');
    await this.subscriber.publishAsync(`v3/${APP}/devices/${DEV}/down/push`, push('disk:fault'), { qos: 1 });
    tally.writes++;
    await this.until(() => this.count('/down/failed') > before);
    const failed = this.received.filter((m) => m.topic.endsWith('/down/failed')).at(-1)?.body;
    const error = (failed?.downlink_failed as { error?: { name?: string; message_format?: string } })?.error;
    expect(error?.name).toMatch(name);
    expect(error?.message_format).toMatch(/^storage is/);

    const v5 = await mqtt.connectAsync(`mqtt://127.0.0.1:${this.mote.mqttPort}`, {
      username: APP,
      password: this.key,
      protocolVersion: 5,
      reconnectPeriod: 0,
    });
    try {
      const refused = await v5
        .publishAsync(`v3/${APP}/devices/${DEV}/down/push`, push('disk:fault-v5'), { qos: 1 })
        .then(
          () => undefined,
          (e: unknown) => e as { code?: number; message: string },
        );
      expect(refused?.code, 'MQTT 5 PUBACK reason for a downlink the disk did not take').toBe(0x80);
    } finally {
      await v5.endAsync(true);
    }
    tally.refused503++;
  }

  /** Reads, health, uplinks to subscribers and the session itself all carry on. */
  async carriesOn() {
    expect(this.mote.output()).not.toMatch(/Unhandled|uncaught|mote failed/i);
    expect((await fetch(`${this.mote.url}/healthz`)).status).toBe(200);
    expect((await call(this.mote, this.admin, 'GET', `/api/v3/applications/${APP}`)).status).toBe(200);
    expect((await call(this.mote, this.admin, 'GET', `/api/v3/applications/${APP}/devices`)).status).toBe(
      200,
    );
    const ups = this.count('/up');
    await this.until(() => this.count('/up') >= ups + 2);
    expect(this.subscriber.connected).toBe(true);
  }

  /** Every uplink published since `from` is in history (polled: the writer retries each tick). */
  async historyHasUplinksSince(from: number): Promise<number> {
    const ids = this.received
      .slice(from)
      .filter((m) => m.topic.endsWith('/up'))
      .map((m) => (m.body.correlation_ids as string[]).find((c) => c.startsWith('as:up:')));
    expect(ids.length).toBeGreaterThan(0);
    for (;;) {
      const res = await fetch(
        `${this.mote.url}/api/v3/as/applications/${APP}/packages/storage/uplink_message?limit=10000`,
        { headers: { authorization: `Bearer ${this.key}` } },
      );
      const text = await res.text();
      if (res.status === 200 && ids.every((c) => text.includes(`"${c}"`))) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    return ids.length;
  }

  async writesWork(id: string) {
    const created = await call(this.mote, this.admin, 'POST', '/api/v3/applications', {
      application: { ids: { application_id: id } },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const pushed = await call(
      this.mote,
      this.admin,
      'POST',
      `/api/v3/as/applications/${APP}/devices/${DEV}/down/push`,
      {
        downlinks: [{ f_port: 1, frm_payload: 'AQ==' }],
      },
    );
    expect(pushed.status, JSON.stringify(pushed.body)).toBe(200);
  }
}

describe.skipIf(tmpfs.why !== undefined)('disk full (4 MB tmpfs)', () => {
  let s: Scenario;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mote-full-'));
    mountTmpfs(dir, '4m');
    s = new Scenario(dir);
    await s.start(true);
  });

  afterAll(async () => {
    try {
      await s?.stop();
    } finally {
      if (s) {
        run('umount', s.dir);
        rmSync(s.dir, { recursive: true, force: true });
      }
    }
  });

  it('writes answer 503 storage_full, everything else carries on, and it recovers when space returns', async () => {
    await s.until(() => s.count('/up') >= 1);
    const filler = join(s.dir, 'filler');
    const fd = openSync(filler, 'a');
    try {
      for (;;) writeSync(fd, Buffer.alloc(64 * 1024, 1));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
    } finally {
      closeSync(fd);
    }
    // SQLite can still take writes that fit in its write-ahead log after the file system is
    // full, and a checkpoint that resets the log makes room again. A reader held open on an old
    // snapshot stops the resets; then writes succeed only until the log file must grow. Use that
    // room up first — every answer a 200 or a 503 storage_full, never anything else.
    const reader = new Database(join(s.dir, 'mote.sqlite'), { readonly: true });
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM applications').get();
    let fitted = 0;
    for (;;) {
      const r = await call<{ details?: { name: string }[] }>(
        s.mote,
        s.admin,
        'POST',
        '/api/v3/applications',
        {
          application: { ids: { application_id: `fits-${fitted}` } },
        },
      );
      if (r.status === 503) {
        expect(r.body.details?.[0]?.name).toBe('storage_full');
        break;
      }
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      fitted++;
      if (fitted > 50_000) throw new Error('storage never reported full');
    }
    console.log(`disk full: ${fitted} writes still fitted in the write-ahead log before the first 503`);
    const from = s.received.length;

    await s.refused(
      'POST',
      '/api/v3/applications',
      { application: { ids: { application_id: 'full-1' } } },
      /^storage_full$/,
    );
    await s.refused(
      'POST',
      `/api/v3/applications/${APP}/devices`,
      { end_device: { ids: { device_id: 'full-dev' } } },
      /^storage_full$/,
    );
    await s.refused(
      'POST',
      `/api/v3/applications/${APP}/api-keys`,
      { rights: ['RIGHT_APPLICATION_INFO'] },
      /^storage_full$/,
    );
    await s.refused('DELETE', `/api/v3/applications/${APP}`, undefined, /^storage_full$/);
    await s.refused(
      'POST',
      `/api/v3/as/applications/${APP}/devices/${DEV}/down/push`,
      { downlinks: [{ f_port: 1, frm_payload: 'AQ==' }] },
      /^storage_full$/,
    );
    await s.refusedOverMqtt(/^storage_full$/);
    await s.carriesOn();

    reader.exec('COMMIT');
    reader.close();
    rmSync(filler);
    await s.writesWork('after-full');
    tally.historyKept += await s.historyHasUplinksSince(from);
    await s.carriesOn();
  });
});

describe.skipIf(ext4.why !== undefined)('read-only (ext4 turned read-only by the kernel)', () => {
  let s: Scenario;
  let image: string;
  let device: string;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mote-ro-'));
    image = `${dir}.img`;
    writeFileSync(image, '');
    run('truncate', '-s', '32M', image);
    run('mkfs.ext4', '-q', image);
    device = mountExt4(image, dir);
    s = new Scenario(dir);
    await s.start(true);
  });

  afterAll(async () => {
    try {
      await s?.stop();
    } finally {
      if (s) {
        run('umount', s.dir);
        rmSync(s.dir, { recursive: true, force: true });
        rmSync(image, { force: true });
      }
    }
  });

  it('writes answer 503 storage_read_only, everything else carries on; a restart on the repaired disk recovers', async () => {
    await s.until(() => s.count('/up') >= 1);
    const before = (await call<{ applications: unknown[] }>(s.mote, s.admin, 'GET', '/api/v3/applications'))
      .body.applications.length;
    // What is on the disk when it fails survives; commits still in the page cache do not (WAL
    // with synchronous=NORMAL syncs at checkpoints, not per commit: the trade-off in db.ts).
    run('sync');
    writeFileSync(`/sys/fs/ext4/${device}/trigger_fs_error`, 'mote storage-faults test');
    expect(run('findmnt', '-no', 'OPTIONS', s.dir)).toMatch(/^ro\b|,ro\b|emergency_ro/);

    await s.refused(
      'POST',
      '/api/v3/applications',
      { application: { ids: { application_id: 'ro-1' } } },
      /^storage_read_only$/,
    );
    await s.refused(
      'PUT',
      `/api/v3/applications/${APP}`,
      { application: { description: 'read-only' } },
      /^storage_read_only$/,
    );
    await s.refused(
      'POST',
      `/api/v3/as/applications/${APP}/devices/${DEV}/down/replace`,
      { downlinks: [{ f_port: 2, frm_payload: 'Ag==' }] },
      /^storage_read_only$/,
    );
    await s.refusedOverMqtt(/^storage_read_only$/);
    await s.carriesOn();

    // The operator's way back: stop, unmount, fsck, mount, start.
    await s.stop();
    run('umount', s.dir);
    try {
      run('e2fsck', '-fy', image);
    } catch {
      // e2fsck exits 1 when it fixed something, which is the point here.
    }
    device = mountExt4(image, s.dir);
    expect(readdirSync(s.dir)).toContain('mote.sqlite');
    await s.start(false);
    tally.restarts++;
    const apps = await call<{ applications: unknown[] }>(s.mote, s.admin, 'GET', '/api/v3/applications');
    expect(apps.body.applications.length).toBe(before);
    await s.writesWork('after-ro');
    const from = s.received.length;
    await s.until(() => s.received.slice(from).some((m) => m.topic.endsWith('/up')));
    await s.historyHasUplinksSince(from);
  });
});
