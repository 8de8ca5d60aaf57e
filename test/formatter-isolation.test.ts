/**
 * Issue 17 items 4 and 5 against a real server, seen over MQTT: one application's formatter can
 * neither starve another's uplinks (a queue per application, a time budget that suspends a
 * script running to its deadline, resumed when saved) nor read another's state (globals are
 * scoped to application and device, even for the same script text).
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, type Caller, call } from './helpers/api';
import { type RunningMote, removeDataDir, startMote } from './helpers/mote';
import { waitFor } from './helpers/mqtt';

/** The parts of an ApplicationUp these tests read. */
interface Seen {
  topic: string;
  json: {
    uplink_message?: { decoded_payload?: { first?: number; before?: number[]; last_global?: unknown } };
    uplink_decode_failed?: { error: { name: string; message_format: string } };
  };
}

let server: RunningMote;
let admin: Caller;
const clients: MqttClient[] = [];

const as = (app: string, path: string) => `/api/v3/as/applications/${app}${path}`;

async function listen(app: string, password: string, filter: string): Promise<Seen[]> {
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${server.mqttPort}`, {
    username: app,
    password,
    reconnectPeriod: 0,
  });
  clients.push(client);
  const seen: Seen[] = [];
  client.on('message', (topic, payload) => seen.push({ topic, json: JSON.parse(payload.toString()) }));
  await client.subscribeAsync(filter, { qos: 1 });
  return seen;
}

async function simulate(app: string, dev: string, bytes: number[]) {
  const r = await call(server, admin, 'POST', as(app, `/devices/${dev}/up/simulate`), {
    uplink_message: { f_port: 1, frm_payload: Buffer.from(bytes).toString('base64') },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

async function setDefault(app: string, script: string) {
  const r = await call(server, admin, 'PUT', as(app, '/link'), {
    default_formatters: { up_formatter: 'FORMATTER_JAVASCRIPT', up_formatter_parameter: script },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

const ups = (seen: Seen[], dev: string) =>
  seen.filter((m) => m.topic.endsWith(`/devices/${dev}/up`)).map((m) => m.json.uplink_message ?? {});

beforeAll(async () => {
  server = await startMote();
  admin = await adminSession(server);
  for (const [app, n] of [
    ['app1', 1],
    ['app2', 2],
  ] as const) {
    const a = await call(server, admin, 'POST', '/api/v3/applications', {
      application: { ids: { application_id: app } },
    });
    expect(a.status).toBe(200);
    for (const dev of ['dev-a', 'dev-b']) {
      const eui = `42000000000000${n}${dev === 'dev-a' ? 'A' : 'B'}`;
      const d = await call(server, admin, 'POST', `/api/v3/applications/${app}/devices`, {
        end_device: { ids: { device_id: dev, dev_eui: eui, join_eui: '4200000000000000' } },
      });
      expect(d.status, JSON.stringify(d.body)).toBe(200);
    }
  }
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync()));
  await server?.stop();
  if (server) removeDataDir(server);
});

async function keyFor(app: string): Promise<string> {
  const r = await call<{ key: string }>(server, admin, 'POST', `/api/v3/applications/${app}/api-keys`, {
    name: 'traffic',
    rights: ['RIGHT_APPLICATION_TRAFFIC_READ'],
  });
  expect(r.status).toBe(200);
  return r.body.key;
}

describe('formatter state is scoped to application and device (item 5)', () => {
  it("a global kept by app1's script is not seen by app2 running the same text, nor by another device", async () => {
    // The attack: a script that keeps every payload it sees in a global and reports it back.
    const hoarder =
      'var seen = []; function decodeUplink(input) { var before = seen.slice(); seen = seen.concat(input.bytes); globalThis.last = input.bytes; return { data: { before: before, last_global: typeof globalThis.leak === "undefined" ? null : globalThis.leak } }; } globalThis.leak = undefined;';
    await setDefault('app1', hoarder);
    await setDefault('app2', hoarder);
    const app1 = await listen('app1', await keyFor('app1'), 'v3/app1/devices/+/up');
    const app2 = await listen('app2', await keyFor('app2'), 'v3/app2/devices/+/up');

    await simulate('app1', 'dev-a', [0xde, 0xad, 0xbe, 0xef]);
    await waitFor(() => ups(app1, 'dev-a').length === 1);
    await simulate('app2', 'dev-a', [0x01]);
    await simulate('app1', 'dev-b', [0x02]);
    await waitFor(() => ups(app2, 'dev-a').length === 1 && ups(app1, 'dev-b').length === 1);

    expect(ups(app1, 'dev-a')[0]?.decoded_payload).toEqual({ before: [], last_global: null });
    // Same script text, same device ID, another application: app1's bytes are nowhere.
    expect(ups(app2, 'dev-a')[0]?.decoded_payload).toEqual({ before: [], last_global: null });
    expect(ups(app1, 'dev-b')[0]?.decoded_payload).toEqual({ before: [], last_global: null });
    expect(JSON.stringify(app2)).not.toContain('222');
  });
});

describe('a looping decoder in app1 is suspended; app2 keeps being decoded (item 4)', () => {
  it("app1's while(true) decoder: app2's uplinks all decoded, app1's script suspended with a console event and a status, resumed on save", async () => {
    const looping = 'function decodeUplink(input) { while (true) {} }';
    const good = 'function decodeUplink(input) { return { data: { first: input.bytes[0] } }; }';
    await setDefault('app1', looping);
    await setDefault('app2', good);
    const app1 = await listen('app1', await keyFor('app1'), 'v3/app1/devices/+/up');
    const app2 = await listen('app2', await keyFor('app2'), 'v3/app2/devices/+/up');
    const token = await call<{ token: string }>(server, admin, 'POST', '/api/auth/console-token');
    const consoleEvents = await listen('app1', token.body.token, 'v3/app1/devices/+/up/decode/failed');

    // The attack: app1 floods the formatter workers with uplinks whose decoder never returns,
    // while app2's devices send as usual.
    const flood = Array.from({ length: 30 }, (_, i) => simulate('app1', i % 2 ? 'dev-a' : 'dev-b', [i]));
    const steady = Array.from({ length: 12 }, (_, i) => simulate('app2', i % 2 ? 'dev-a' : 'dev-b', [i]));
    await Promise.all([...flood, ...steady]);
    await waitFor(() => ups(app2, 'dev-a').length + ups(app2, 'dev-b').length === 12);
    await waitFor(() => ups(app1, 'dev-a').length + ups(app1, 'dev-b').length === 30);

    // Every uplink of the well-behaved application was decoded.
    const app2Ups = [...ups(app2, 'dev-a'), ...ups(app2, 'dev-b')];
    expect(app2Ups.map((u) => u.decoded_payload?.first ?? -1).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 12 }, (_, i) => i),
    );
    // app1's uplinks still went out, undecoded (docs/behaviour.md §7).
    expect([...ups(app1, 'dev-a'), ...ups(app1, 'dev-b')].every((u) => !('decoded_payload' in u))).toBe(true);

    // The console saw the suspension: decode failures naming `formatter_suspended`.
    await waitFor(() => consoleEvents.length === 30);
    const names = consoleEvents.map((e) => e.json.uplink_decode_failed?.error.name);
    expect(names).toContain('formatter_timeout');
    expect(names).toContain('formatter_suspended');
    const suspended = consoleEvents.find(
      (e) => e.json.uplink_decode_failed?.error.name === 'formatter_suspended',
    );
    expect(suspended?.json.uplink_decode_failed?.error.message_format).toContain('save the formatters again');

    // And the API says so, for the application's default formatter.
    const status = await call<{ suspended: { default: boolean; timeouts: number; message: string }[] }>(
      server,
      admin,
      'GET',
      as('app1', '/formatters/status'),
    );
    expect(status.status).toBe(200);
    expect(status.body.suspended).toHaveLength(1);
    expect(status.body.suspended[0]).toMatchObject({ default: true, timeouts: 5 });
    expect((await call(server, admin, 'GET', as('app2', '/formatters/status'))).body).toEqual({
      suspended: [],
    });

    // Saving the formatters (edited) resumes: app1 is decoded again and the status is clear.
    await setDefault('app1', good);
    expect((await call(server, admin, 'GET', as('app1', '/formatters/status'))).body).toEqual({
      suspended: [],
    });
    await simulate('app1', 'dev-a', [7]);
    await waitFor(() => ups(app1, 'dev-a').some((u) => u.decoded_payload?.first === 7));
  });

  it('the status route needs a right on the application and an application that exists', async () => {
    const other = await call(server, { key: await keyFor('app2') }, 'GET', as('app1', '/formatters/status'));
    expect(other.status).toBe(403);
    expect((await call(server, admin, 'GET', as('nope', '/formatters/status'))).status).toBe(404);
  });
});
