/**
 * Issue 17 item 8 against a real server: the console's MQTT session (MQTT.js over WebSocket,
 * the console token as password, as the browser connects) belongs to its console session.
 * Logout closes it and it receives nothing more; tokens of that session stop working; another
 * console session and API-key subscribers carry on. Expiry: server/auth/consoleToken.test.ts.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call } from './helpers/api';
import { type RunningMote, removeDataDir, startMote } from './helpers/mote';
import { waitFor } from './helpers/mqtt';

type Session = Awaited<ReturnType<typeof adminSession>>;

let server: RunningMote;
let admin: Session;
const clients: MqttClient[] = [];

async function consoleToken(session: Session): Promise<string> {
  const r = await call<{ token: string }>(server, session, 'POST', '/api/auth/console-token');
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.token;
}

/** Connects as the console's browser does: WebSocket at /mqtt, application ID and token. */
function overWebSocket(password: string) {
  return mqtt.connect(`ws://127.0.0.1:${server.httpPort}/mqtt`, {
    username: 'app2',
    password,
    clientId: `mote-console-${Math.random().toString(36).slice(2, 10)}`,
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
}

async function listen(password: string) {
  const client = overWebSocket(password);
  clients.push(client);
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  const frames: string[] = [];
  let closed = false;
  client.on('message', (_, payload) =>
    frames.push(JSON.parse(payload.toString()).uplink_message.frm_payload),
  );
  client.on('close', () => {
    closed = true;
  });
  await client.subscribeAsync('v3/app2/devices/+/up');
  return { frames, closed: () => closed };
}

async function simulate(frm_payload: string) {
  const r = await call(server, admin, 'POST', '/api/v3/as/applications/app2/devices/dev1/up/simulate', {
    uplink_message: { f_port: 1, frm_payload },
  });
  expect(r.status).toBe(200);
}

async function logout(session: Session) {
  const r = await fetch(`${server.url}/api/auth/logout`, {
    method: 'POST',
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, origin: server.url },
  });
  expect(r.status).toBe(200);
}

beforeAll(async () => {
  server = await startMote();
  admin = await adminSession(server);
  const app = await call(server, admin, 'POST', '/api/v3/applications', {
    application: { ids: { application_id: 'app2' } },
  });
  expect(app.status).toBe(200);
  const d = await call(server, admin, 'POST', '/api/v3/applications/app2/devices', {
    end_device: { ids: { device_id: 'dev1', dev_eui: '4200000000000002', join_eui: '4200000000000000' } },
  });
  expect(d.status).toBe(200);
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true)));
  await server?.stop();
  if (server) removeDataDir(server);
});

describe("the console's MQTT session ends with its console session", () => {
  it('logout closes it; it receives nothing after; the other session and an API key carry on', async () => {
    const victim = await adminSession(server);
    const other = await adminSession(server);
    const victimLive = await listen(await consoleToken(victim));
    const unspent = await consoleToken(victim);
    const otherLive = await listen(await consoleToken(other));
    const keyed = await call<{ key: string }>(server, admin, 'POST', '/api/v3/applications/app2/api-keys', {
      name: 'integration',
      rights: ['RIGHT_APPLICATION_TRAFFIC_READ'],
    });
    const integration = await mqtt.connectAsync(`mqtt://127.0.0.1:${server.mqttPort}`, {
      username: 'app2',
      password: keyed.body.key,
      reconnectPeriod: 0,
    });
    clients.push(integration);
    const integrationFrames: string[] = [];
    integration.on('message', (_, p) =>
      integrationFrames.push(JSON.parse(p.toString()).uplink_message.frm_payload),
    );
    await integration.subscribeAsync('v3/app2/devices/+/up');

    await simulate('AQ==');
    await waitFor(() => victimLive.frames.includes('AQ==') && otherLive.frames.includes('AQ=='));

    await logout(victim);
    await waitFor(() => victimLive.closed());

    await simulate('Ag==');
    await waitFor(() => integrationFrames.includes('Ag==') && otherLive.frames.includes('Ag=='));
    expect(victimLive.frames).toEqual(['AQ==']);
    expect(otherLive.closed()).toBe(false);

    // A token the session got before logout no longer connects (CONNACK 0x05) …
    const refused = overWebSocket(unspent);
    clients.push(refused);
    const code = await new Promise<number | undefined>((resolve) => {
      refused.on('packetreceive', (p) => p.cmd === 'connack' && resolve(p.returnCode));
      refused.on('error', () => undefined);
    });
    expect(code).toBe(5);
    // … and the logged-out session gets no new one.
    const again = await call<{ message: string }>(server, victim, 'POST', '/api/auth/console-token');
    expect(again.status).toBe(401);
  });
});
