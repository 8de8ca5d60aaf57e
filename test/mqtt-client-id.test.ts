/**
 * Issue 17 item 13 against a real server: a client ID is taken over only by a session of the
 * key that holds it. A key with only RIGHT_APPLICATION_INFO reusing a production integration's
 * client ID is refused (MQTT 3.1.1 CONNACK 0x02, MQTT 5 0x85 with a reason string); the
 * integration stays connected and keeps receiving. The same key reconnecting still takes over.
 */
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, type Caller, call } from './helpers/api';
import { type RunningMote, removeDataDir, startMote } from './helpers/mote';
import { waitFor } from './helpers/mqtt';

let server: RunningMote;
let admin: Caller;
let production: string;
let intruder: string;
const clients: MqttClient[] = [];

async function key(rights: string[]): Promise<string> {
  const r = await call<{ key: string }>(server, admin, 'POST', '/api/v3/applications/app1/api-keys', {
    name: rights[0]!.toLowerCase().slice(0, 40),
    rights,
  });
  expect(r.status).toBe(200);
  return r.body.key;
}

const options = (password: string, extra: IClientOptions = {}): IClientOptions => ({
  username: 'app1',
  password,
  clientId: 'integration',
  reconnectPeriod: 0,
  ...extra,
});

async function connect(password: string, extra: IClientOptions = {}): Promise<MqttClient> {
  const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${server.mqttPort}`, options(password, extra));
  clients.push(c);
  return c;
}

/** What a refused CONNECT tells MQTT.js: the CONNACK code, and (MQTT 5) the reason string. */
function refusal(password: string, extra: IClientOptions = {}) {
  return new Promise<{ code: number; reason?: string }>((resolve, reject) => {
    const c = mqtt.connect(`mqtt://127.0.0.1:${server.mqttPort}`, options(password, extra));
    c.on('packetreceive', (p) => {
      if (p.cmd !== 'connack') return;
      c.end(true);
      resolve({ code: p.returnCode ?? p.reasonCode ?? -1, reason: p.properties?.reasonString });
    });
    c.on('connect', () => reject(new Error('connected with another key’s client ID')));
    c.on('error', () => undefined);
  });
}

async function simulate(bytes: string) {
  const r = await call(server, admin, 'POST', '/api/v3/as/applications/app1/devices/dev1/up/simulate', {
    uplink_message: { f_port: 1, frm_payload: bytes },
  });
  expect(r.status).toBe(200);
}

beforeAll(async () => {
  server = await startMote();
  admin = await adminSession(server);
  expect(
    (
      await call(server, admin, 'POST', '/api/v3/applications', {
        application: { ids: { application_id: 'app1' } },
      })
    ).status,
  ).toBe(200);
  const d = await call(server, admin, 'POST', '/api/v3/applications/app1/devices', {
    end_device: { ids: { device_id: 'dev1', dev_eui: '4200000000000001', join_eui: '4200000000000000' } },
  });
  expect(d.status).toBe(200);
  production = await key(['RIGHT_APPLICATION_ALL']);
  intruder = await key(['RIGHT_APPLICATION_INFO']);
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true)));
  await server?.stop();
  if (server) removeDataDir(server);
});

describe('client ID take-over between keys', () => {
  it('another key reusing the integration’s client ID is refused; the integration keeps receiving', async () => {
    const integration = await connect(production);
    const received: string[] = [];
    integration.on('message', (_, payload) =>
      received.push(JSON.parse(payload.toString()).uplink_message.frm_payload),
    );
    await integration.subscribeAsync('v3/app1/devices/+/up', { qos: 1 });
    let closed = false;
    integration.on('close', () => {
      closed = true;
    });

    // The attack, in both protocol versions, a few times over.
    for (let i = 0; i < 3; i++) {
      expect(await refusal(intruder)).toEqual({ code: 0x02, reason: undefined });
      expect(await refusal(intruder, { protocolVersion: 5 })).toEqual({
        code: 0x85,
        reason: 'client identifier in use by a session of another key',
      });
    }

    await simulate('AQ==');
    await waitFor(() => received.includes('AQ=='));
    expect(closed).toBe(false);
    expect(integration.connected).toBe(true);
    await integration.endAsync();
  });

  it('the same key reconnecting takes its session over, as MQTT says [MQTT-3.1.4-2]', async () => {
    const first = await connect(production);
    let firstClosed = false;
    first.on('close', () => {
      firstClosed = true;
    });
    const second = await connect(production);
    await waitFor(() => firstClosed);
    const received: string[] = [];
    second.on('message', (_, payload) =>
      received.push(JSON.parse(payload.toString()).uplink_message.frm_payload),
    );
    await second.subscribeAsync('v3/app1/devices/+/up', { qos: 1 });
    await simulate('Ag==');
    await waitFor(() => received.includes('Ag=='));
    await second.endAsync();
  });

  it('once the holder has gone, another key may use the client ID', async () => {
    const c = await connect(intruder);
    expect(c.connected).toBe(true);
    await c.endAsync();
  });
});
