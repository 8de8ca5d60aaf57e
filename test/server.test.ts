import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, type Caller, call } from './helpers/api';
import { mqttjsCloseReason } from './helpers/closed';
import { type RunningMote, removeDataDir, startMote } from './helpers/mote';

let server: RunningMote;
let admin: Caller;

const newKey = async (app: string, rights: string[]) =>
  (
    await call<{ key: string; id: string }>(server, admin, 'POST', `/api/v3/applications/${app}/api-keys`, {
      name: 'k',
      rights,
    })
  ).body;

function connect(
  url: string,
  username: string,
  password: string,
  protocolVersion: 4 | 5 = 4,
): Promise<mqtt.MqttClient> {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(url, {
      username,
      password,
      protocolVersion,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
    });
    client.once('connect', () => resolve(client));
    client.once('error', (e) => {
      client.end(true);
      reject(e);
    });
  });
}

/**
 * Whether the kernel keeps a keepalive timer on the server's end of `client`'s connection: the
 * `tr` column of /proc/net/tcp{,6} is 2 for an idle socket whose peer is probed, 0 for none.
 */
function serverProbes(client: mqtt.MqttClient): boolean {
  const clientPort = (client.stream as Socket).localPort ?? -1;
  const hex = (port: number) => port.toString(16).toUpperCase().padStart(4, '0');
  const rows = ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((f) =>
    readFileSync(f, 'utf8').split('\n').slice(1),
  );
  const row = rows
    .map((line) => line.trim().split(/\s+/))
    .find((c) => c[1]?.endsWith(`:${hex(server.mqttPort)}`) && c[2]?.endsWith(`:${hex(clientPort)}`));
  if (!row) throw new Error(`no socket of port ${server.mqttPort} to ${clientPort}`);
  return row[5]?.startsWith('02:') ?? false;
}

/** MQTT 3.1.1 cannot say why the server closes; MQTT 5 hears 0x87 not authorized. */
const REVOKED = [{ closed: 'by server' }, { closed: 'by server', disconnect: 0x87 }];

beforeAll(async () => {
  server = await startMote();
  admin = await adminSession(server);
  await call(server, admin, 'POST', '/api/v3/applications', {
    application: { ids: { application_id: 'app1' } },
  });
  await call(server, admin, 'POST', '/api/v3/applications/app1/devices', {
    end_device: { ids: { device_id: 'dev1' } },
  });
});

afterAll(async () => {
  await server?.stop();
  if (server) removeDataDir(server);
});

describe('one process: HTTP, MQTT over TCP and over WebSockets', () => {
  it('answers /healthz with 200 once listening', async () => {
    const r = await fetch(`${server.url}/healthz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: 'ok' });
  });

  it('reports where MQTT clients connect', async () => {
    const r = await call(server, admin, 'GET', '/api/v3/as/applications/app1/mqtt-connection-info');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ public_address: `localhost:${server.mqttPort}`, username: 'app1' });
  });

  it('delivers a simulated uplink to MQTT.js over ws://…/mqtt with an API key', async () => {
    const { key } = await newKey('app1', ['RIGHT_APPLICATION_TRAFFIC_READ']);
    const client = await connect(`ws://127.0.0.1:${server.httpPort}/mqtt`, 'app1', key);
    await client.subscribeAsync('#');
    const got = new Promise<{ topic: string; body: Record<string, unknown> }>((resolve) =>
      client.once('message', (topic, payload) => resolve({ topic, body: JSON.parse(payload.toString()) })),
    );
    const sim = await call(server, admin, 'POST', '/api/v3/as/applications/app1/devices/dev1/up/simulate', {
      uplink_message: { f_port: 7, frm_payload: 'AQID' },
    });
    expect(sim.status).toBe(200);
    const { topic, body } = await got;
    expect(topic).toBe('v3/app1/devices/dev1/up');
    expect(body).toMatchObject({ simulated: true, uplink_message: { f_port: 7, frm_payload: 'AQID' } });
    await client.endAsync();
  });

  it("lets the console's short-lived token connect, and nothing else", async () => {
    const token = await call<{ token: string; websocket_path: string }>(
      server,
      admin,
      'POST',
      '/api/auth/console-token',
    );
    expect(token.status).toBe(200);
    const client = await connect(
      `ws://127.0.0.1:${server.httpPort}${token.body.websocket_path}`,
      'app1',
      token.body.token,
    );
    await client.endAsync();
    await expect(
      connect(`mqtt://127.0.0.1:${server.mqttPort}`, 'app1', `${token.body.token}x`),
    ).rejects.toThrow(/Not authorized/i);
    await expect(
      connect(`mqtt://127.0.0.1:${server.mqttPort}`, 'nope-app', token.body.token),
    ).rejects.toThrow(/Not authorized/i);
  });

  it('refuses a key of another application, and closes sessions of a deleted key at once', async () => {
    await call(server, admin, 'POST', '/api/v3/applications', {
      application: { ids: { application_id: 'app2' } },
    });
    const other = await newKey('app2', ['RIGHT_APPLICATION_ALL']);
    await expect(connect(`mqtt://127.0.0.1:${server.mqttPort}`, 'app1', other.key)).rejects.toThrow(
      /Not authorized/i,
    );

    const mine = await newKey('app1', ['RIGHT_APPLICATION_TRAFFIC_READ']);
    const clients = [
      await connect(`mqtt://127.0.0.1:${server.mqttPort}`, 'app1', mine.key),
      await connect(`mqtt://127.0.0.1:${server.mqttPort}`, 'app1', mine.key, 5),
    ];
    const gone = Promise.all(clients.map((c) => mqttjsCloseReason(c)));
    expect(
      (await call(server, admin, 'DELETE', `/api/v3/applications/app1/api-keys/${mine.id}`)).status,
    ).toBe(200);
    expect(await gone).toEqual(REVOKED);
    await expect(connect(`mqtt://127.0.0.1:${server.mqttPort}`, 'app1', mine.key)).rejects.toThrow(
      /Not authorized/i,
    );
  });

  it('has the kernel probe a silent peer (TCP keepalive) only when MQTT keepalive is off', async () => {
    const { key } = await newKey('app1', ['RIGHT_APPLICATION_TRAFFIC_READ']);
    const url = `mqtt://127.0.0.1:${server.mqttPort}`;
    const open = (keepalive: number) =>
      mqtt.connectAsync(url, { username: 'app1', password: key, keepalive, reconnectPeriod: 0 });
    const [off, on] = await Promise.all([open(0), open(60)]);
    // Nothing else reaps a keepalive-0 session whose peer vanished without a FIN; MQTT's own
    // keepalive reaps the other at 1.5 × 60 s.
    expect(serverProbes(off)).toBe(true);
    expect(serverProbes(on)).toBe(false);
    await Promise.all([off.endAsync(), on.endAsync()]);
  });

  it('uses a changed key’s new rights from its next CONNECT on', async () => {
    const changing = await newKey('app1', ['RIGHT_APPLICATION_TRAFFIC_READ']);
    const first = await connect(`mqtt://127.0.0.1:${server.mqttPort}`, 'app1', changing.key);
    expect(await first.subscribeAsync('v3/app1/devices/+/up')).toEqual([
      { topic: 'v3/app1/devices/+/up', qos: 0 },
    ]);
    const gone = mqttjsCloseReason(first);
    const changed = await call(server, admin, 'PUT', `/api/v3/applications/app1/api-keys/${changing.id}`, {
      api_key: { rights: ['RIGHT_APPLICATION_INFO'] },
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(await gone).toEqual(REVOKED[0]);
    // Still a key of app1, so it connects, but it may no longer read traffic.
    const second = await connect(`mqtt://127.0.0.1:${server.mqttPort}`, 'app1', changing.key);
    // SUBACK 0x80 (refused), which MQTT.js turns into an error.
    await expect(second.subscribeAsync('v3/app1/devices/+/up')).rejects.toThrow(/Subscribe error/);
    await second.endAsync();
  });

  it("closes an application's MQTT sessions when the application is deleted", async () => {
    const k = await newKey('app2', ['RIGHT_APPLICATION_TRAFFIC_READ']);
    const clients = [
      await connect(`mqtt://127.0.0.1:${server.mqttPort}`, 'app2', k.key),
      await connect(`mqtt://127.0.0.1:${server.mqttPort}`, 'app2', k.key, 5),
    ];
    const gone = Promise.all(clients.map((c) => mqttjsCloseReason(c)));
    expect((await call(server, admin, 'DELETE', '/api/v3/applications/app2')).status).toBe(200);
    // Its keys are revoked with it, so their sessions hear the same reason.
    expect(await gone).toEqual(REVOKED);
  });
});
