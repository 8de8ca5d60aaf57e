/**
 * The radio bench's own code (scripts/bench/provision.ts, forwarder.ts) against the built server
 * as the bench runs it: gateways and ABP devices registered over HTTP, the emulated forwarders'
 * datagrams acknowledged, and every frame reaching a subscriber's `up` once, from its device's
 * gateway, with the stamp decrypted. Shapes only: timings are the bench's business
 * (`npm run bench -- --only radio`).
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AbpDevice } from '../scripts/bench/abp';
import { type Forwarders, openForwarders } from '../scripts/bench/forwarder';
import { readStamp } from '../scripts/bench/payload';
import { registerAbpDevices, registerGateways } from '../scripts/bench/provision';
import { nowUs } from '../scripts/bench/rpc';
import { appWithKey } from './helpers/api';
import { until } from './helpers/gatewayServer';
import { type RunningMote, removeDataDir, startMote } from './helpers/mote';

const APP = 'bench-app';
const FRAMES = 8;
let mote: RunningMote;
let client: MqttClient;
let euis: string[];
let devices: AbpDevice[];
let forwarders: Forwarders | undefined;
const ups: { topic: string; payload: Buffer }[] = [];

beforeAll(async () => {
  mote = await startMote();
  const key = await appWithKey(mote, APP, ['RIGHT_APPLICATION_ALL']);
  const registry = { mote, applicationId: APP, key };
  euis = await registerGateways(registry, 2);
  devices = await registerAbpDevices(registry, 4);
  client = await mqtt.connectAsync(`mqtt://127.0.0.1:${mote.mqttPort}`, { username: APP, password: key });
  client.on('message', (topic, payload) => ups.push({ topic, payload }));
  await client.subscribeAsync(`v3/${APP}/devices/+/up`);
});

afterAll(async () => {
  forwarders?.close();
  await client?.endAsync();
  await mote?.stop();
  if (mote) removeDataDir(mote);
});

it('sends PUSH_DATA the gateway server acknowledges; every frame reaches `up` with its stamp', async () => {
  const t0 = nowUs();
  const fw = await openForwarders({ host: '127.0.0.1', port: mote.udpPort, euis, devices });
  forwarders = fw;
  fw.prepare(FRAMES);
  const sent = await fw.send(400, FRAMES / 400);
  expect(sent.sent).toBe(FRAMES);
  await until(() => ups.length >= FRAMES, 10_000, 'every frame on `up`');
  await until(() => fw.counts().pushAcks === fw.counts().pushData, 5_000, 'every PUSH_ACK');
  await until(() => fw.counts().pullAcks === 2, 5_000, 'both PULL_ACKs');

  const counts = fw.counts();
  expect(counts).toMatchObject({ frames: FRAMES, pullData: 2, pullAcks: 2 });
  expect(counts.pushData).toBeGreaterThan(0);

  const seen = ups.map(({ topic, payload }) => {
    const up = JSON.parse(payload.toString('utf8'));
    const stamp = Buffer.from(up.uplink_message.frm_payload, 'base64');
    const device = Number(topic.split('/')[3]?.replace('abp-', ''));
    // Device i is heard by gateway i mod 2, and only by it.
    expect(
      up.uplink_message.rx_metadata.map((r: { gateway_ids: { eui: string } }) => r.gateway_ids.eui),
    ).toEqual([euis[device % 2]]);
    const sentUs = readStamp(payload, 0, payload.length);
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
