/**
 * Issue 14: Semtech UDP gateways across two real Mote processes on one PostgreSQL database and one
 * Redis (docs/scale-out.md). Gateway 1 sends its uplinks to A and pulls on B (a balancer that
 * does not keep a gateway on one instance); gateway 2 sends to B. A subscriber on A sees one `up`
 * per frame with both gateways' rx_metadata, and downlinks for a device handled on A leave through
 * B. Last, the JoinEUI + DevEUI claim holds under concurrent creates on both instances.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, appWithKey, type Caller, call } from './helpers/api';
import { clusterEnv } from './helpers/clusterEnv';
import { mosquittoSub, type Received } from './helpers/mosquitto';
import { type RunningMote, removeDataDir, startMote } from './helpers/mote';
import { OtaaDevice } from './helpers/otaaDevice';
import {
  createDevice,
  dataOf,
  eventually,
  markOf,
  message,
  next,
  pull,
  push,
  type RadioSetup,
  receivedSince,
  settled,
  since,
  topicOf,
  txpkOf,
} from './helpers/radio';
import type { RunningRedis } from './helpers/redis';
import { ID, UdpGateway } from './helpers/udpGateway';

const APP = 'cluster-gws';
const DEV = 'sensor';
const APP_KEY = '000102030405060708090A0B0C0D0E0F';
const JOIN_EUI = '70B3D57ED0000000';
const EUI1 = 'AA555A0000000C01';
const EUI2 = 'AA555A0000000C02';

let redis: RunningRedis;
let a: RunningMote;
let b: RunningMote;
let admin: Caller;
/** The subscriber's side, on A: `settled`, `message` and `since` take it as radio.test.ts does. */
let r: RadioSetup;
/** Gateway 1's uplinks, to A; its PULL_DATA, from another socket, to B. Gateway 2: B only. */
let g1Up: UdpGateway;
let g1Pull: UdpGateway;
let g2: UdpGateway;
const device = new OtaaDevice(APP_KEY, JOIN_EUI, '70B3D57ED00000C1');
let tmst = 200_000_000;
const nextTmst = () => {
  tmst += 5_000_000;
  return tmst;
};

beforeAll(async () => {
  const shared = await clusterEnv();
  redis = shared.redis;
  const env = shared.env;
  const adminPassword = 'cluster-gws-admin';
  a = await startMote({ env, adminPassword });
  b = await startMote({ env, adminPassword });
  admin = await adminSession(a);
  const key = await appWithKey(a, APP, ['RIGHT_APPLICATION_ALL']);
  for (const [id, eui] of [
    ['gw-1', EUI1],
    ['gw-2', EUI2],
  ] as const) {
    const created = await call(a, admin, 'POST', '/api/v3/gateways', {
      gateway: { ids: { gateway_id: id, eui }, frequency_plan_id: 'EU_863_870' },
    });
    expect(created.status).toBe(200);
  }
  r = { mote: a, admin, app: APP, key, sub: await mosquittoSub(a.mqttPort, APP, key), gateways: [] };
  await createDevice(r, 'barrier');
  await createDevice(r, DEV, { appKey: APP_KEY, devEui: device.devEui, joinEui: JOIN_EUI });
  g1Up = await UdpGateway.start(EUI1, { host: '127.0.0.1', port: a.udpPort });
  g1Pull = await UdpGateway.start(EUI1, { host: '127.0.0.1', port: b.udpPort });
  g2 = await UdpGateway.start(EUI2, { host: '127.0.0.1', port: b.udpPort });
  r.gateways.push(g1Up, g1Pull, g2);
});

afterAll(async () => {
  r?.sub.stop();
  await Promise.all((r?.gateways ?? []).map((g) => g.close()));
  for (const mote of [a, b]) {
    if (!mote) continue;
    await mote.stop();
    removeDataDir(mote);
  }
  await redis?.stop();
});

/** B answered the gateway's PULL_DATA; A can route through it once B's note of it is in Redis. */
async function pullOnB(gateway = g1Pull, eui = EUI1): Promise<void> {
  await pull(gateway);
  const redisClient = new Redis(redis.url);
  try {
    while ((await redisClient.hget(`mote:gw:${eui}`, 'instance')) === null)
      await new Promise((resolve) => setTimeout(resolve, 10));
  } finally {
    redisClient.disconnect();
  }
}

const ups = (mark: number) => since(r.sub, mark, topicOf(r, DEV, 'up'));
const rxEuis = (m: Received) =>
  (m.json.uplink_message as { rx_metadata: Array<{ gateway_ids: { eui: string } }> }).rx_metadata
    .map((x) => x.gateway_ids.eui)
    .sort();

describe('Semtech UDP gateways across two instances', () => {
  it('joins through a gateway that pulls on the other instance', async () => {
    await pullOnB();
    const [upMark, pullMark, subMark] = [markOf(g1Up), markOf(g1Pull), r.sub.messages.length];
    await push(g1Up, device.joinRequest(), { freq: 868.1, tmst: nextTmst() });
    // A handled the JoinRequest; the JoinAccept left through B, where gateway 1 pulls.
    device.joinAccept(dataOf(txpkOf(await next(g1Pull, ID.PULL_RESP, pullMark))));
    await message(r.sub, topicOf(r, DEV, 'join'), subMark);
    expect(receivedSince(g1Up, ID.PULL_RESP, upMark)).toHaveLength(0);
  });

  it('one frame heard through A and B is one up with both gateways’ rx_metadata', async () => {
    // Gateway 2's registry lookup on B done first, as a running gateway's is: both copies then
    // reach their merge windows a datagram's handling apart.
    g2.pushData({ stat: { rxnb: 0, rxok: 0, rxfw: 0, ackr: 0, dwnb: 0, txnb: 0 } });
    const onB = await adminSession(b);
    await eventually(
      async () => (await call(b, onB, 'GET', '/api/v3/gs/gateways/gw-2/connection/stats')).status === 200,
    );
    const subMark = r.sub.messages.length;
    const frame = device.up({ fPort: 3, payload: Buffer.of(0x11) });
    await Promise.all([
      push(g1Up, frame, { tmst: nextTmst(), freq: 868.1 }),
      push(g2, frame, { tmst: nextTmst(), freq: 868.1 }),
    ]);
    const up = await message(r.sub, topicOf(r, DEV, 'up'), subMark);
    expect(rxEuis(up)).toEqual([EUI1, EUI2]);
    // Nothing else for that frame: the next one, through one gateway, comes after it alone.
    await push(g2, device.up({ fPort: 3, payload: Buffer.of(0x12) }), { tmst: nextTmst(), freq: 868.1 });
    await message(r.sub, topicOf(r, DEV, 'up'), subMark, (m) => rxEuis(m).join() === EUI2);
    await settled(r);
    expect(ups(subMark)).toHaveLength(2);
  });

  it('a downlink queued on A goes out through B, and down/sent is published once', async () => {
    await pullOnB();
    const subMark = r.sub.messages.length;
    const pushed = await call(
      r.mote,
      { key: r.key },
      'POST',
      `/api/v3/as/applications/${APP}/devices/${DEV}/down/push`,
      {
        downlinks: [{ f_port: 9, frm_payload: 'q80=', correlation_ids: ['cluster:relayed'] }],
      },
    );
    expect(pushed.status).toBe(200);
    await message(r.sub, topicOf(r, DEV, 'down/queued'), subMark);
    const [upMark, pullMark] = [markOf(g1Up), markOf(g1Pull)];
    await push(g1Up, device.up({ fPort: 3, payload: Buffer.of(0x13) }), { tmst: nextTmst(), freq: 868.1 });
    const resp = await next(g1Pull, ID.PULL_RESP, pullMark);
    expect(device.down(dataOf(txpkOf(resp))).fPort).toBe(9);
    await message(r.sub, topicOf(r, DEV, 'down/sent'), subMark);
    await settled(r);
    expect(since(r.sub, subMark, topicOf(r, DEV, 'down/sent'))).toHaveLength(1);
    expect(since(r.sub, subMark, topicOf(r, DEV, 'down/failed'))).toHaveLength(0);
    expect(receivedSince(g1Up, ID.PULL_RESP, upMark)).toHaveLength(0);
  });

  it('the console on A shows a gateway that only talks to B: its status and its traffic', async () => {
    await pullOnB(g2, EUI2);
    g2.pushData({ stat: { rxnb: 7, rxok: 6, rxfw: 6, ackr: 100, dwnb: 1, txnb: 1, lati: 52.1, long: 4.9 } });
    const onB = await adminSession(b);
    await eventually(
      async () =>
        (await call<{ last_status?: unknown }>(b, onB, 'GET', '/api/v3/gs/gateways/gw-2/connection/stats'))
          .body.last_status !== undefined,
    );
    const subMark = r.sub.messages.length;
    await push(g2, device.up({ fPort: 3, payload: Buffer.of(0x14) }), { tmst: nextTmst(), freq: 868.1 });
    await message(r.sub, topicOf(r, DEV, 'up'), subMark);

    // A never heard gateway 2: what it shows comes from B, the instance gateway 2 pulls on.
    const stats = await call<Record<string, unknown>>(
      a,
      admin,
      'GET',
      '/api/v3/gs/gateways/gw-2/connection/stats',
    );
    expect(stats.status).toBe(200);
    expect(stats.body).toMatchObject({
      connected: true,
      protocol: 'udp',
      last_status: { metrics: { rxin: 7, rxok: 6 }, antenna_locations: [{ latitude: 52.1, longitude: 4.9 }] },
    });
    expect(Number(stats.body.uplink_count)).toBeGreaterThanOrEqual(1);
    const traffic = await call<{
      events: Array<{ kind: string; f_cnt?: number; device_ids?: { device_id: string } }>;
    }>(a, admin, 'GET', '/api/v3/gs/gateways/gw-2/traffic');
    expect(traffic.status).toBe(200);
    expect(traffic.body.events.some((e) => e.kind === 'up' && e.device_ids?.device_id === DEV)).toBe(true);
  });

  it('a gateway nobody registered, heard only by B, is listed on A and leaves the list once registered there', async () => {
    const STRANGER = 'AA555A0000000CFF';
    const stranger = await UdpGateway.start(STRANGER, { host: '127.0.0.1', port: b.udpPort });
    r.gateways.push(stranger);
    await pull(stranger);
    const listedOnA = async () =>
      (
        await call<{ gateways: Array<{ eui: string }> }>(a, admin, 'GET', '/api/v3/gs/unregistered')
      ).body.gateways.map((g) => g.eui);
    // Shared every 5 s by the instance that heard it.
    await eventually(async () => (await listedOnA()).includes(STRANGER), 15_000);
    const created = await call(a, admin, 'POST', '/api/v3/gateways', {
      gateway: { ids: { gateway_id: 'gw-stranger', eui: STRANGER }, frequency_plan_id: 'EU_863_870' },
    });
    expect(created.status).toBe(200);
    expect(await listedOnA()).not.toContain(STRANGER);
  });

  it('concurrent creates of one JoinEUI + DevEUI on both instances: one 200, the rest 409', async () => {
    const devEui = '70B3D57ED00000E1';
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call<{ details?: Array<{ name: string }> }>(
          i % 2 ? b : a,
          { key: r.key },
          'POST',
          `/api/v3/applications/${APP}/devices`,
          {
            end_device: { ids: { device_id: `racer-${i}`, dev_eui: devEui, join_eui: JOIN_EUI } },
          },
        ),
      ),
    );
    expect(results.filter((x) => x.status === 200)).toHaveLength(1);
    const refused = results.filter((x) => x.status !== 200);
    expect(refused.map((x) => x.status)).toEqual(Array(19).fill(409));
    expect(new Set(refused.map((x) => x.body.details?.[0]?.name))).toEqual(
      new Set(['end_device_euis_taken']),
    );
  });
});
