/**
 * The demo through the whole radio path (issue 13): with MOTE_SIM_VIA_UDP=1 a real Mote's
 * simulated devices speak Semtech UDP to its own gateway server. What a subscriber sees proves
 * it: the virtual gateway's EUI in `rx_metadata`, and `down/sent` only after its TX_ACK. Without
 * the setting, one device takes the same path when started with `--via-udp`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIM_GATEWAY_EUI, SIM_GATEWAY_ID } from '../server/sim/udpGateway';
import { adminSession, type Caller, call } from './helpers/api';
import { mote } from './helpers/cli';
import { mosquittoPub, mosquittoSub, type Received, type Subscriber } from './helpers/mosquitto';
import { type RunningMote, removeDataDir, startMote } from './helpers/mote';

let server: RunningMote;
let admin: Caller;
let cli: Record<string, string>;
let key: string;
let sub: Subscriber;

const on = (topicSuffix: string) => (m: Received) => m.topic === `v3/app1/devices/dev1/${topicSuffix}`;

beforeAll(async () => {
  server = await startMote({ env: { MOTE_SIM_VIA_UDP: '1' } });
  admin = await adminSession(server);
  cli = { MOTE_URL: server.url, MOTE_ADMIN_PASSWORD: server.adminPassword };
  expect((await mote(['applications', 'create', 'app1'], cli)).code).toBe(0);
  const device = ['end-devices', 'create', 'app1', 'dev1', '--dev-eui', '4200000000000001'];
  expect((await mote([...device, '--join-eui', '4200000000000000'], cli)).code).toBe(0);
  const created = await mote(
    'applications api-keys create --name sub --application-id app1 --right-application-traffic-read --right-application-traffic-down-write'.split(
      ' ',
    ),
    cli,
  );
  key = (JSON.parse(created.stdout) as { key: string }).key;
  sub = await mosquittoSub(server.mqttPort, 'app1', key);
});

afterAll(async () => {
  sub?.stop();
  await server?.stop();
  if (server) removeDataDir(server);
});

describe('MOTE_SIM_VIA_UDP=1', () => {
  it('registers the virtual gateway at start: GET /api/v3/gateways lists it', async () => {
    const r = await call<{ gateways: { ids: { gateway_id: string; eui: string } }[] }>(
      server,
      admin,
      'GET',
      '/api/v3/gateways',
    );
    expect(r.status).toBe(200);
    expect(r.body.gateways.map((g) => g.ids)).toContainEqual({
      gateway_id: SIM_GATEWAY_ID,
      eui: SIM_GATEWAY_EUI,
    });
  });

  it('a simulated device joins and its uplinks arrive through the virtual gateway', async () => {
    const started = await mote(['simulate', 'start', 'app1', 'dev1', '--interval', '500ms'], cli);
    expect(started.code, started.stderr).toBe(0);
    expect(JSON.parse(started.stdout)).toMatchObject({ running: true, via_udp: true });
    const msgs = await sub.until((ms) => ms.some(on('join')) && ms.filter(on('up')).length >= 2);
    for (const up of msgs.filter(on('up'))) {
      const rx = (up.json.uplink_message as { rx_metadata: { gateway_ids: unknown; timestamp: number }[] })
        .rx_metadata;
      expect(rx).toHaveLength(1);
      expect(rx[0]?.gateway_ids).toEqual({ gateway_id: SIM_GATEWAY_ID, eui: SIM_GATEWAY_EUI });
      expect(rx[0]?.timestamp).toEqual(expect.any(Number));
    }
  });

  it('a down/push is sent in a receive window: down/sent after the TX_ACK', async () => {
    const before = sub.messages.length;
    const pub = mosquittoPub(
      server.mqttPort,
      'app1',
      key,
      'v3/app1/devices/dev1/down/push',
      '{"downlinks":[{"f_port": 15,"frm_payload":"vu8=","priority": "NORMAL"}]}',
    );
    expect(pub.status, pub.output).toBe(0);
    const msgs = await sub.until((ms) => ms.slice(before).some(on('down/sent')));
    const sent = msgs.slice(before).find(on('down/sent'))!.json;
    expect(sent.downlink_sent).toMatchObject({ f_port: 15, frm_payload: 'vu8=' });
  });

  it('stop stops the device', async () => {
    expect((await mote(['simulate', 'stop', 'app1', 'dev1'], cli)).code).toBe(0);
  });
});

describe('per simulation: mote simulate start --via-udp, without MOTE_SIM_VIA_UDP', () => {
  let other: RunningMote;
  let otherSub: Subscriber;
  let otherCli: Record<string, string>;
  const gatewayIds = async () =>
    (
      await call<{ gateways: { ids: { gateway_id: string } }[] }>(
        other,
        await adminSession(other),
        'GET',
        '/api/v3/gateways',
      )
    ).body.gateways.map((g) => g.ids.gateway_id);

  beforeAll(async () => {
    other = await startMote();
    otherCli = { MOTE_URL: other.url, MOTE_ADMIN_PASSWORD: other.adminPassword };
    expect((await mote(['applications', 'create', 'app1'], otherCli)).code).toBe(0);
    const device = ['end-devices', 'create', 'app1', 'dev1', '--dev-eui', '4200000000000002'];
    expect((await mote([...device, '--join-eui', '4200000000000000'], otherCli)).code).toBe(0);
    const created = await mote(
      'applications api-keys create --name sub --application-id app1 --right-application-traffic-read'.split(
        ' ',
      ),
      otherCli,
    );
    otherSub = await mosquittoSub(
      other.mqttPort,
      'app1',
      (JSON.parse(created.stdout) as { key: string }).key,
    );
  });

  afterAll(async () => {
    otherSub?.stop();
    await other?.stop();
    if (other) removeDataDir(other);
  });

  it('in-process by default: no virtual UDP gateway registered', async () => {
    expect(await gatewayIds()).not.toContain(SIM_GATEWAY_ID);
  });

  it('that device goes through the virtual gateway, which registers itself on first use', async () => {
    const r = await mote(['simulate', 'start', 'app1', 'dev1', '--interval', '500ms', '--via-udp'], otherCli);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ running: true, via_udp: true });
    const msgs = await otherSub.until((ms) => ms.some(on('join')) && ms.some(on('up')));
    const up = msgs.find(on('up'))!.json.uplink_message as { rx_metadata: { gateway_ids: unknown }[] };
    expect(up.rx_metadata.map((rx) => rx.gateway_ids)).toEqual([
      { gateway_id: SIM_GATEWAY_ID, eui: SIM_GATEWAY_EUI },
    ]);
    expect(await gatewayIds()).toContain(SIM_GATEWAY_ID);
    const back = await call(
      other,
      await adminSession(other),
      'POST',
      '/api/v3/sim/applications/app1/devices/dev1/start',
      {
        via_udp: false,
      },
    );
    expect(back.body).toMatchObject({ via_udp: false });
    expect((await mote(['simulate', 'stop', 'app1', 'dev1'], otherCli)).code).toBe(0);
  });
});
