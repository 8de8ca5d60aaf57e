/**
 * The network-layer bench's own code (scripts/bench/abp.ts, nsHost.ts) against a real Mote
 * in-process: its ABP frames are real LoRaWAN (the stamp comes back decrypted, FCnt counts up per
 * device) and its per-uplink step runs with nothing dropped. Shapes only: timings are the
 * bench's business (`npm run bench -- --only=ns`), never a test's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { air } from '../scripts/bench/abp';
import { nsBench } from '../scripts/bench/nsHost';
import { readConfig } from '../server/config';
import { silentLogger } from '../server/log';
import { createMote, type Mote } from '../server/mote';
import { decodePhyPayload, parseDataUp } from '../server/ns/lorawan';

const APP = 'bench-app';
const dir = mkdtempSync(join(tmpdir(), 'mote-bench-ns-'));
let mote: Mote;
let bench: ReturnType<typeof nsBench>;

beforeAll(async () => {
  const config = readConfig({
    NODE_ENV: 'test',
    MOTE_DATA_DIR: dir,
    MOTE_DEMO: '0',
    MOTE_ADMIN_PASSWORD: 'bench-ns-password',
  });
  mote = await createMote(config, {
    log: silentLogger,
    scripts: false,
    intervals: { historyFlushMs: 0, lastSeenFlushMs: 0, pruneMs: 0, simulatorTickMs: 0 },
  });
  await mote.store.applications.create(APP, { name: 'bench' }, new Date());
  bench = nsBench({
    ns: mote.ns,
    as: mote.as,
    devices: mote.store.devices,
    registry: mote.store.nsDevices,
    applicationId: APP,
    now: () => new Date(),
    flush: () => mote.flush(),
    log: silentLogger,
  });
  await bench.abpDevices({ count: 4 });
});

afterAll(async () => {
  await mote?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('builds frames the frame layer accepts: the stamp decrypted, FCnt counting per device', async () => {
  const [device] = await mote.store.nsDevices.findByDevAddr('00000001');
  expect(device?.ids.device_id).toBe('abp-0');
  const session = device?.session;
  if (!session) throw new Error('abp-0 has no session');

  const frames = air([{ deviceId: 'abp-0', ...session }]);
  frames.prepare(2);
  const stamp = Uint8Array.from({ length: 12 }, (_, i) => i + 1);
  for (const fCnt of [0, 1, 2]) {
    const f = frames.next(stamp);
    const decoded = decodePhyPayload(f.phy);
    if (!decoded.ok) throw new Error(decoded.error.name);
    const parsed = parseDataUp(decoded.value, { ...session, lastFCnt: fCnt === 0 ? undefined : fCnt - 1 });
    if (!parsed.ok) throw new Error(parsed.error.name);
    expect(parsed.value.fCnt).toBe(fCnt);
    expect(parsed.value.fPort).toBe(1);
    expect(Buffer.from(parsed.value.frmPayload)).toEqual(Buffer.from(stamp));
  }
  expect(frames.preparedLate()).toBe(1);
});

it('runs the per-uplink step through ns.handleUplink with nothing dropped', async () => {
  const before = mote.ns.stats().uplinks;
  const micro = await bench.micro({ count: 12, warmup: 4 });
  expect(micro).toMatchObject({ uplinks: 12, devices: 4, dropped: 0 });
  expect(mote.ns.stats().uplinks - before).toBe(16);
  for (const t of [micro.ns_uplink, micro.as_uplink, micro.frame_layer, micro.registry_save])
    expect(Number.isFinite(t.p99_us)).toBe(true);
});
