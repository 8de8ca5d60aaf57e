/**
 * The radio bench's own code (scripts/bench/radioHost.ts, forwarder.ts) against a real Mote
 * in-process, its gateway server on a real UDP socket: the emulated forwarders' datagrams are
 * acknowledged, and every frame reaches `up` once, from its device's gateway, with the stamp
 * decrypted. Shapes only: timings are the bench's business (`npm run bench -- --only=radio`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Forwarders, openForwarders } from '../scripts/bench/forwarder';
import { readStamp } from '../scripts/bench/payload';
import { type RadioSetup, radioSetup } from '../scripts/bench/radioHost';
import { nowUs } from '../scripts/bench/rpc';
import type { BusMessage } from '../server/bus/bus';
import { readConfig } from '../server/config';
import { silentLogger } from '../server/log';
import { createMote, type Mote } from '../server/mote';
import { until } from './helpers/gatewayServer';

const APP = 'bench-app';
const FRAMES = 8;
const dir = mkdtempSync(join(tmpdir(), 'mote-bench-radio-'));
let mote: Mote;
let setup: RadioSetup;
let forwarders: Forwarders | undefined;
let udpPort: number;
const ups: BusMessage[] = [];

beforeAll(async () => {
  const config = readConfig({
    NODE_ENV: 'test',
    MOTE_DATA_DIR: dir,
    MOTE_DEMO: '0',
    MOTE_ADMIN_PASSWORD: 'bench-radio-password',
    MQTT_PORT: '0',
    MOTE_UDP_PORT: '0',
    HOST: '127.0.0.1',
  });
  mote = await createMote(config, {
    log: silentLogger,
    scripts: false,
    intervals: { historyFlushMs: 0, lastSeenFlushMs: 0, pruneMs: 0, simulatorTickMs: 0 },
  });
  await mote.store.applications.create(APP, { name: 'bench' }, new Date());
  udpPort = (await mote.listen({ web: false })).udp;
  setup = await radioSetup(
    {
      gateways: mote.store.gateways,
      gatewaysChanged: mote.gatewaysChanged,
      devices: mote.store.devices,
      applicationId: APP,
      now: () => new Date(),
    },
    { gateways: 2, devices: 4 },
  );
  mote.bus.subscribe(APP, (m) => {
    if (m.event === 'up') ups.push(m);
  });
});

afterAll(async () => {
  forwarders?.close();
  await mote?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('sends PUSH_DATA the gateway server acknowledges; every frame reaches `up` with its stamp', async () => {
  const t0 = nowUs();
  const fw = await openForwarders({ host: '127.0.0.1', port: udpPort, ...setup });
  forwarders = fw;
  fw.prepare(FRAMES);
  const sent = await fw.send(400, FRAMES / 400);
  expect(sent.sent).toBe(FRAMES);
  await until(() => ups.length >= FRAMES, 10_000, 'every frame on `up`');
  await until(() => fw.counts().pushAcks === fw.counts().pushData, 5_000, 'every PUSH_ACK');

  const counts = fw.counts();
  expect(counts).toMatchObject({ frames: FRAMES, pullData: 2, pullAcks: 2 });
  expect(counts.pushData).toBeGreaterThan(0);
  expect(mote.gs.stats()).toMatchObject({ frames: FRAMES, malformed: 0, rateLimited: 0, unregistered: 0 });

  const seen = ups.map((m) => {
    const up = JSON.parse(m.payload.toString('utf8'));
    const stamp = Buffer.from(up.uplink_message.frm_payload, 'base64');
    const device = Number(m.deviceId.replace('abp-', ''));
    // Device i is heard by gateway i mod 2, and only by it.
    expect(
      up.uplink_message.rx_metadata.map((r: { gateway_ids: { eui: string } }) => r.gateway_ids.eui),
    ).toEqual([setup.euis[device % 2]]);
    const sentUs = readStamp(m.payload, 0, m.payload.length);
    expect(sentUs).toBeGreaterThanOrEqual(t0);
    expect(sentUs).toBeLessThanOrEqual(nowUs());
    // proto-JSON leaves out zero values: FCnt 0 has no `f_cnt`.
    return { device, fCnt: (up.uplink_message.f_cnt ?? 0) as number, seq: stamp.readUInt32BE(8) };
  });
  expect(seen.map((s) => s.seq).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  // Round-robin over 4 devices: two frames each, FCnt 0 then 1.
  for (let d = 0; d < 4; d++)
    expect(
      seen
        .filter((s) => s.device === d)
        .map((s) => s.fCnt)
        .sort(),
    ).toEqual([0, 1]);
});
