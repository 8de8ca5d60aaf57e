/**
 * Gateway status and live traffic over HTTP (issue 13, docs/behaviour.md §9.6) against a real
 * server and an emulated packet forwarder over real UDP: connection stats in TTS's shape, the
 * traffic ring with the device each uplink resolved to or why it was dropped, and unregistered
 * gateways listed until they are registered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, appWithKey, type Caller, call } from './helpers/api';
import { type RunningMote, removeDataDir, startMote } from './helpers/mote';
import { OtaaDevice } from './helpers/otaaDevice';
import { ID, UdpGateway } from './helpers/udpGateway';

let mote: RunningMote;
let admin: Caller;
const forwarders: UdpGateway[] = [];

beforeAll(async () => {
  mote = await startMote();
  admin = await adminSession(mote);
});

afterAll(async () => {
  await Promise.all(forwarders.map((f) => f.close()));
  await mote?.stop();
  if (mote) removeDataDir(mote);
});

interface ErrorJson {
  details: { name: string }[];
}
interface Unregistered {
  gateways: {
    eui: string;
    first_seen_at: string;
    last_seen_at: string;
    uplinks: number;
    remote_address: string;
  }[];
}
interface Traffic {
  events: {
    seq: number;
    time: string;
    kind: string;
    m_type?: string;
    dev_addr?: string;
    dev_eui?: string;
    device_ids?: { application_ids: { application_id: string }; device_id: string };
    window?: string;
    result?: string;
    dropped?: string;
    rssi?: number;
    frequency?: number;
    data_rate?: string;
    size?: number;
  }[];
}

const get = <T>(path: string) => call<T & ErrorJson>(mote, admin, 'GET', path);
const stats = (id: string) => get<Record<string, unknown>>(`/api/v3/gs/gateways/${id}/connection/stats`);
const traffic = async (id: string, after = 0) =>
  (await get<Traffic>(`/api/v3/gs/gateways/${id}/traffic?after=${after}`)).body.events;
const unregistered = async () => (await get<Unregistered>('/api/v3/gs/unregistered')).body.gateways;

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function forwarder(eui: string): Promise<UdpGateway> {
  const gw = await UdpGateway.start(eui, { host: '127.0.0.1', port: mote.udpPort });
  forwarders.push(gw);
  return gw;
}

async function register(id: string, eui: string) {
  const r = await call(mote, admin, 'POST', '/api/v3/gateways', {
    gateway: { ids: { gateway_id: id, eui }, frequency_plan_id: 'EU_863_870' },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

// An unconfirmed up of 260B1234 (LoRaWAN test vectors): no device of this server has it.
const STRANGE_FRAME = Buffer.from('4034120B260001000536CCB91C6D25430D0A', 'hex');

describe('unregistered gateways', () => {
  it('are listed with first and last seen, then gone once registered, without another datagram', async () => {
    const gw = await forwarder('00800000A00009EF');
    gw.uplink(STRANGE_FRAME);
    const [seen] = await eventually(unregistered, (l) => l.length === 1, 'the stranger');
    expect(seen).toEqual({
      eui: '00800000A00009EF',
      first_seen_at: expect.any(String),
      last_seen_at: expect.any(String),
      uplinks: 1,
      remote_address: `127.0.0.1:${gw.port}`,
    });
    expect(seen!.first_seen_at <= seen!.last_seen_at).toBe(true);
    const unknown = await stats('eui-00800000a00009ef');
    expect(unknown.status).toBe(404);
    expect(unknown.body.details[0]?.name).toBe('gateway_not_found');
    expect((await get(`/api/v3/gs/gateways/eui-00800000a00009ef/traffic`)).status).toBe(404);

    await register('eui-00800000a00009ef', '00800000a00009ef');
    await eventually(unregistered, (l) => l.length === 0, 'the stranger gone');
    // Heard before it was registered: its stats are there, its dropped uplink in its traffic.
    const heard = await stats('eui-00800000a00009ef');
    expect(heard.status).toBe(200);
    expect(heard.body).toMatchObject({ protocol: 'udp', uplink_count: '1', connected: false });
    expect((await traffic('eui-00800000a00009ef')).map((e) => e.dropped)).toEqual(['gateway_not_registered']);
  });
});

describe('connection stats', () => {
  it('answer 404 gateway_not_connected for a registered gateway never heard; its traffic is empty', async () => {
    await register('quiet-gtw', 'AA00000000000001');
    const r = await stats('quiet-gtw');
    expect(r.status).toBe(404);
    expect(r.body.details[0]?.name).toBe('gateway_not_connected');
    expect(await traffic('quiet-gtw')).toEqual([]);
  });

  it('answer in TTS shape with the last stat, counters and the downlink path', async () => {
    await register('stat-gtw', 'AA00000000000002');
    const gw = await forwarder('AA00000000000002');
    gw.pull();
    await gw.waitFor((d) => d.id === ID.PULL_ACK);
    gw.pushData({
      rxpk: [],
      stat: {
        time: '2026-12-02 08:00:00 GMT',
        lati: 52.37,
        long: 4.89,
        alti: 12,
        rxnb: 3,
        rxok: 2,
        rxfw: 2,
        ackr: 100,
        dwnb: 1,
        txnb: 1,
      },
    });
    const r = await eventually(
      () => stats('stat-gtw'),
      (s) => s.status === 200 && 'last_status' in s.body,
      'the status',
    );
    expect(r.body).toEqual({
      connected_at: expect.any(String),
      protocol: 'udp',
      last_status_received_at: expect.any(String),
      last_status: {
        time: '2026-12-02T08:00:00.000Z',
        antenna_locations: [{ latitude: 52.37, longitude: 4.89, altitude: 12, source: 'SOURCE_GPS' }],
        metrics: { rxin: 3, rxok: 2, rxfw: 2, ackr: 100, txin: 1, txok: 1 },
      },
      connected: true,
      last_seen_at: expect.any(String),
      last_pull_received_at: expect.any(String),
      remote_address: `127.0.0.1:${gw.port}`,
      tx_acks: {},
    });
    expect((await traffic('stat-gtw')).map((e) => e.kind)).toEqual(['status']);
    const bad = await get(`/api/v3/gs/gateways/stat-gtw/traffic?after=soon`);
    expect(bad.status).toBe(400);
  });
});

describe('traffic', () => {
  const APP = 'gs-app';
  const APP_KEY = '2B7E151628AED2A6ABF7158809CF4F3C';
  const device = new OtaaDevice(APP_KEY, '70B3D57ED0000000', '0004A30B001C0530');
  const owner = { application_ids: { application_id: APP }, device_id: 'otaa1' };

  it('names the device each uplink resolved to, the downlink windows and TX_ACK results, or the drop', async () => {
    await appWithKey(mote, APP, ['RIGHT_APPLICATION_ALL']);
    const created = await call(mote, admin, 'POST', `/api/v3/applications/${APP}/devices`, {
      end_device: {
        ids: { device_id: 'otaa1', dev_eui: device.devEui, join_eui: device.joinEui },
        frequency_plan_id: 'EU_863_870',
        lorawan_version: 'MAC_V1_0_3',
        lorawan_phy_version: 'PHY_V1_0_3_REV_A',
        root_keys: { app_key: { key: APP_KEY } },
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    await register('traffic-gtw', 'AA00000000000003');
    const gw = await forwarder('AA00000000000003');
    gw.pull();
    await gw.waitFor((d) => d.id === ID.PULL_ACK);

    gw.uplink(device.joinRequest(), { freq: 868.1 });
    const resp = await gw.waitFor((d) => d.id === ID.PULL_RESP, 5000);
    const txpk = resp.json?.txpk as { data: string };
    device.joinAccept(Buffer.from(txpk.data, 'base64'));
    const joined = await eventually(
      () => traffic('traffic-gtw'),
      (e) => e.some((x) => x.kind === 'tx_ack'),
      'the TX_ACK',
    );
    expect(joined.map((e) => [e.kind, e.m_type, e.window, e.result])).toEqual([
      ['up', 'join_request', undefined, undefined],
      ['down', undefined, 'rx1', undefined],
      ['tx_ack', undefined, 'rx1', 'NONE'],
    ]);
    expect(joined[0]).toMatchObject({
      dev_eui: device.devEui,
      device_ids: owner,
      rssi: -35,
      frequency: 868_100_000,
      data_rate: 'SF7BW125',
      size: 23,
    });
    expect(joined[0]!.dropped).toBeUndefined();

    const last = joined.at(-1)!.seq;
    gw.uplink(device.up({ fPort: 1, payload: Buffer.from([1, 2]) }));
    const bad = Buffer.from(device.up({ fPort: 1, payload: Buffer.from([3]) }));
    bad[bad.length - 1]! ^= 0xff;
    gw.uplink(bad);
    const later = await eventually(
      () => traffic('traffic-gtw', last),
      (e) => e.filter((x) => x.kind === 'up').length === 2,
      'two uplinks',
    );
    const ups = later.filter((e) => e.kind === 'up');
    expect(later.every((e) => e.seq > last)).toBe(true);
    expect(ups.map((e) => [e.dev_addr, e.device_ids?.device_id, e.dropped])).toEqual([
      [device.session?.devAddr, 'otaa1', undefined],
      [device.session?.devAddr, 'otaa1', 'mic_mismatch'],
    ]);
    const s = await stats('traffic-gtw');
    expect(s.body).toMatchObject({
      uplink_count: '3',
      downlink_count: '1',
      last_uplink_received_at: expect.any(String),
      last_downlink_received_at: expect.any(String),
      tx_acks: { NONE: 1 },
    });
  });
});
