/**
 * Payload formatters (docs/behaviour.md §7) against a real server: set with the CLI (ttn-lw-cli's flags) and
 * the HTTP API, seen by mosquitto_sub and MQTT.js, with the console's test endpoint.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROFILE_FORMATTER } from '../server/sim/profile';
import { adminSession, type Caller, call } from './helpers/api';
import { at } from './helpers/at';
import { mote } from './helpers/cli';
import { mosquittoPub, mosquittoSub, type Received, type Subscriber } from './helpers/mosquitto';
import { type RunningMote, removeDataDir, startMote } from './helpers/mote';
import { waitFor } from './helpers/mqtt';

let server: RunningMote;
let admin: Caller;
let cli: Record<string, string>;
let key: string;
let sub: Subscriber;

const on = (dev: string, suffix: string) => (m: Received) => m.topic === `v3/app1/devices/${dev}/${suffix}`;
const as = (path: string) => `/api/v3/as/applications/app1${path}`;

async function simulateUplink(dev: string, frmPayloadBase64: string, fPort = 1) {
  const r = await call(server, admin, 'POST', as(`/devices/${dev}/up/simulate`), {
    uplink_message: { f_port: fPort, frm_payload: frmPayloadBase64 },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

beforeAll(async () => {
  server = await startMote();
  admin = await adminSession(server);
  cli = { MOTE_URL: server.url, MOTE_ADMIN_PASSWORD: server.adminPassword };
  expect((await mote(['applications', 'create', 'app1'], cli)).code).toBe(0);
  for (const [dev, eui] of [
    ['dev1', '4200000000000001'],
    ['dev2', '4200000000000002'],
  ] as const) {
    const r = await mote(
      ['end-devices', 'create', 'app1', dev, '--dev-eui', eui, '--join-eui', '4200000000000000'],
      cli,
    );
    expect(r.code, r.stderr).toBe(0);
  }
  const created = await call<{ key: string }>(server, admin, 'POST', '/api/v3/applications/app1/api-keys', {
    name: 'mqtt',
    rights: ['RIGHT_APPLICATION_TRAFFIC_READ', 'RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE'],
  });
  key = created.body.key;
  sub = await mosquittoSub(server.mqttPort, 'app1', key);
});

afterAll(async () => {
  sub?.stop();
  await server?.stop();
  if (server) removeDataDir(server);
});

describe('formatters over the CLI, HTTP and MQTT', () => {
  it('the CLI sets the default formatters from a local file; uplinks carry decoded_payload', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mote-fmt-')), 'formatter.js');
    writeFileSync(file, PROFILE_FORMATTER);
    const set = await mote(
      [
        'applications',
        'link',
        'set',
        'app1',
        '--default-formatters.up-formatter',
        'FORMATTER_JAVASCRIPT',
        '--default-formatters.up-formatter-parameter-local-file',
        file,
        '--default-formatters.down-formatter',
        'FORMATTER_JAVASCRIPT',
        '--default-formatters.down-formatter-parameter-local-file',
        file,
      ],
      cli,
    );
    expect(set.code, set.stderr).toBe(0);
    const got = JSON.parse((await mote(['applications', 'link', 'get', 'app1'], cli)).stdout);
    expect(got.default_formatters).toEqual({
      up_formatter: 'FORMATTER_JAVASCRIPT',
      up_formatter_parameter: PROFILE_FORMATTER,
      down_formatter: 'FORMATTER_JAVASCRIPT',
      down_formatter_parameter: PROFILE_FORMATTER,
    });

    await simulateUplink('dev1', 'CMpb'); // 22.50 °C, 45.5 %
    const up = at((await sub.until((ms) => ms.some(on('dev1', 'up')))).filter(on('dev1', 'up')), 0);
    expect(up.json.uplink_message).toMatchObject({
      frm_payload: 'CMpb',
      decoded_payload: { temperature: 22.5, humidity: 45.5 },
    });
  });

  it('mosquitto_pub with decoded_payload: the encoder fills frm_payload; its errors arrive as down/failed', async () => {
    const pushed = mosquittoPub(
      server.mqttPort,
      'app1',
      key,
      'v3/app1/devices/dev1/down/push',
      '{"downlinks":[{"f_port":15,"decoded_payload":{"interval_s":600},"priority":"NORMAL","correlation_ids":["json-dl"]}]}',
    );
    expect(pushed.status, pushed.output).toBe(0);
    const queued = (await sub.until((ms) => ms.some(on('dev1', 'down/queued')))).find(
      on('dev1', 'down/queued'),
    )!;
    expect(queued.json.downlink_queued).toMatchObject({
      f_port: 2,
      frm_payload: 'Alg=',
      decoded_payload: { interval_s: 600 },
    });

    const bad = mosquittoPub(
      server.mqttPort,
      'app1',
      key,
      'v3/app1/devices/dev1/down/push',
      '{"downlinks":[{"f_port":15,"decoded_payload":{"interval_s":-1},"correlation_ids":["bad-json-dl"]}]}',
    );
    expect(bad.status, bad.output).toBe(0);
    const failed = (await sub.until((ms) => ms.some(on('dev1', 'down/failed')))).find(
      on('dev1', 'down/failed'),
    )!;
    expect(failed.json.downlink_failed).toMatchObject({
      downlink: { correlation_ids: expect.arrayContaining(['bad-json-dl']) },
      error: { name: 'script_output_errors', message_format: 'interval_s must be a number from 1 to 65535' },
    });
    const list = await call<{ downlinks: unknown[] }>(server, admin, 'GET', as('/devices/dev1/down'));
    expect(list.body.downlinks).toHaveLength(1);
  });

  it('HTTP push with an encoder error: 400 with the script message, queue unchanged', async () => {
    const r = await call(server, admin, 'POST', as('/devices/dev1/down/push'), {
      downlinks: [{ f_port: 1, decoded_payload: { interval_s: 'often' } }],
    });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({
      message: 'interval_s must be a number from 1 to 65535',
      details: [{ name: 'script_output_errors' }],
    });
    expect(
      (await call<{ downlinks: unknown[] }>(server, admin, 'GET', as('/devices/dev1/down'))).body.downlinks,
    ).toHaveLength(1);
  });

  it("a device's CayenneLPP override; location_solved on GPS; --unset returns it to the defaults", async () => {
    const set = await mote(
      ['end-devices', 'set', 'app1', 'dev2', '--formatters.up-formatter', 'FORMATTER_CAYENNELPP'],
      cli,
    );
    expect(set.code, set.stderr).toBe(0);
    expect(JSON.parse(set.stdout).formatters).toEqual({ up_formatter: 'FORMATTER_CAYENNELPP' });
    await simulateUplink('dev2', Buffer.from('018807fd8700bef500086a', 'hex').toString('base64'));
    const msgs = await sub.until((ms) => ms.some(on('dev2', 'location/solved')) && ms.some(on('dev2', 'up')));
    const location = { latitude: 52.3655, longitude: 4.8885, altitude: 21.54, source: 'SOURCE_GPS' };
    expect(msgs.find(on('dev2', 'location/solved'))!.json).toMatchObject({
      location_solved: { service: 'frm-payload', location },
      simulated: true,
    });
    expect(msgs.find(on('dev2', 'up'))!.json.uplink_message).toMatchObject({
      decoded_payload: { gps_1: { latitude: 52.3655 } },
      locations: { 'frm-payload': location },
    });

    expect((await mote(['end-devices', 'set', 'app1', 'dev2', '--unset', 'formatters'], cli)).code).toBe(0);
    const r = await call(server, admin, 'GET', as('/devices/dev2'));
    expect(r.body).toEqual({ ids: { device_id: 'dev2', application_ids: { application_id: 'app1' } } });
  });

  it('a hostile script fails its own uplinks only: they and other traffic keep flowing', async () => {
    const hostile = 'function decodeUplink() { var a = []; for (;;) a.push(new Array(1e6).fill(1)); }';
    const r = await call(server, admin, 'PUT', as('/devices/dev2'), {
      end_device: { formatters: { up_formatter: 'FORMATTER_JAVASCRIPT', up_formatter_parameter: hostile } },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    // The console's MQTT session (console token) also gets the decoder failure event.
    const token = await call<{ token: string }>(server, admin, 'POST', '/api/auth/console-token');
    const console = await mqtt.connectAsync(`mqtt://127.0.0.1:${server.mqttPort}`, {
      username: 'app1',
      password: token.body.token,
      reconnectPeriod: 0,
    });
    const consoleTopics: string[] = [];
    console.on('message', (topic) => consoleTopics.push(topic));
    await console.subscribeAsync('v3/app1/devices/+/up/decode/failed');
    const before = sub.messages.length;
    await Promise.all([
      simulateUplink('dev2', 'AQI='),
      simulateUplink('dev1', 'CMpc'),
      simulateUplink('dev2', 'AQM='),
    ]);
    const after = () => sub.messages.slice(before);
    await sub.until(() => after().filter(on('dev2', 'up')).length === 2 && after().some(on('dev1', 'up')));
    expect(
      after()
        .filter(on('dev2', 'up'))
        .every((m) => !('decoded_payload' in (m.json.uplink_message as object))),
    ).toBe(true);
    expect(after().find(on('dev1', 'up'))!.json.uplink_message).toMatchObject({
      decoded_payload: { temperature: 22.5 },
    });
    // mosquitto_sub (an API key) never sees the console-only event.
    expect(sub.messages.some((m) => m.topic.endsWith('/up/decode/failed'))).toBe(false);
    await waitFor(() => consoleTopics.length >= 2);
    expect(consoleTopics).toEqual([
      'v3/app1/devices/dev2/up/decode/failed',
      'v3/app1/devices/dev2/up/decode/failed',
    ]);
    await console.endAsync();
  });
});

describe('formatter API input', () => {
  it.each([
    [{ default_formatters: { up_formatter: 'FORMATTER_LUA' } }, 'up_formatter'],
    [{ default_formatters: { up_formatter: 'FORMATTER_REPOSITORY' } }, 'up_formatter'],
    [{ default_formatters: { down_formatter_parameter: 'x'.repeat(40_961) } }, 'down_formatter_parameter'],
    [{ default_formatters: { up_formatter_parameter: 42 } }, 'up_formatter_parameter'],
    // A misspelt or missing field must not clear what is saved.
    [{}, 'default_formatters'],
    [{ defaultFormatter: { up_formatter: 'FORMATTER_NONE' } }, 'default_formatters'],
  ])('PUT link %j → 400 naming %s; the saved link is unchanged', async (body, field) => {
    const before = await call(server, admin, 'GET', as('/link'));
    const r = await call<{ message: string }>(server, admin, 'PUT', as('/link'), body);
    expect(r.status).toBe(400);
    expect(r.body.message).toContain(field);
    expect(await call(server, admin, 'GET', as('/link'))).toEqual(before);
  });

  it('malformed JSON → 400; unknown device → 404; a key without SETTINGS_BASIC → 403', async () => {
    expect((await call(server, admin, 'PUT', as('/link'), '{"default_formatters":')).status).toBe(400);
    expect(
      (await call(server, admin, 'PUT', as('/devices/ghost'), { end_device: { formatters: {} } })).status,
    ).toBe(404);
    expect((await call(server, { key }, 'PUT', as('/link'), { default_formatters: {} })).status).toBe(403);
    expect(
      (await call(server, { key }, 'POST', as('/formatters/test'), { uplink: { f_port: 1 } })).status,
    ).toBe(403);
  });

  it('the test endpoint runs the saved or a given formatter; a failing script is a result', async () => {
    const saved = await call(server, admin, 'POST', as('/formatters/test'), {
      uplink: { f_port: 1, frm_payload: 'CMpb' },
    });
    expect(saved).toEqual({ status: 200, body: { decoded_payload: { temperature: 22.5, humidity: 45.5 } } });
    const encoded = await call(server, admin, 'POST', as('/formatters/test'), {
      downlink: { f_port: 1, decoded_payload: { interval_s: 1 } },
    });
    expect(encoded.body).toEqual({ f_port: 2, frm_payload: 'AAE=' });
    const loop = await call(server, admin, 'POST', as('/formatters/test'), {
      formatters: {
        up_formatter: 'FORMATTER_JAVASCRIPT',
        up_formatter_parameter: 'function decodeUplink() { for (;;) {} }',
      },
      uplink: { f_port: 1, frm_payload: 'AA==' },
    });
    expect(loop.status).toBe(200);
    expect(loop.body).toMatchObject({ error: { name: 'formatter_timeout' } });
    const neither = await call<{ message: string }>(server, admin, 'POST', as('/formatters/test'), {
      formatters: {},
    });
    expect(neither.status).toBe(400);
    expect(neither.body.message).toMatch(/exactly one of `uplink` or `downlink`/);
  });

  it("a script error names the script's line: syntax errors and thrown errors alike", async () => {
    const tryScript = (script: string) =>
      call<{ error?: { name: string; attributes?: Record<string, unknown> } }>(
        server,
        admin,
        'POST',
        as('/formatters/test'),
        {
          formatters: { up_formatter: 'FORMATTER_JAVASCRIPT', up_formatter_parameter: script },
          uplink: { f_port: 1, frm_payload: 'AA==' },
        },
      );
    const syntax = await tryScript('function decodeUplink(input) {\n  var x = ;\n}');
    expect(syntax.body.error).toMatchObject({
      name: 'script_error',
      attributes: { function: 'decodeUplink', line: 2 },
    });
    const thrown = await tryScript(
      '// a comment\nfunction decodeUplink(input) {\n  return input.nope.deeper;\n}',
    );
    expect(thrown.body.error).toMatchObject({ name: 'script_error', attributes: { line: 3 } });
    const noPosition = await tryScript('function decodeUplink() { throw "plain"; }');
    expect(noPosition.body.error?.name).toBe('script_error');
    expect(noPosition.body.error?.attributes).toEqual({ function: 'decodeUplink' });
  });

  it('a JavaScript formatter that does not compile is refused on save (400, its line), nothing stored; the CLI says so', async () => {
    type Refusal = { message: string; details: { name: string; attributes?: Record<string, unknown> }[] };
    const linkBefore = await call(server, admin, 'GET', as('/link'));
    const broken = 'function decodeUplink(input) {\n  return { data: { x: ) } };\n}';
    const link = await call<Refusal>(server, admin, 'PUT', as('/link'), {
      default_formatters: { up_formatter: 'FORMATTER_JAVASCRIPT', up_formatter_parameter: broken },
    });
    expect(link.status).toBe(400);
    expect(link.body.details[0]).toMatchObject({
      name: 'formatter_compile_failed',
      attributes: { line: 2, reason: 'script_error' },
    });
    expect(link.body.message).toMatch(/^`up_formatter_parameter` does not compile: SyntaxError/);
    expect(await call(server, admin, 'GET', as('/link'))).toEqual(linkBefore);

    // A throw at the top level fails every run as surely: refused too, for a device's override.
    const deviceBefore = await call(server, admin, 'GET', as('/devices/dev2'));
    const dev = await call<Refusal>(server, admin, 'PUT', as('/devices/dev2'), {
      end_device: {
        formatters: {
          down_formatter: 'FORMATTER_JAVASCRIPT',
          down_formatter_parameter: '// setup\nthrow new Error("no table");\nfunction encodeDownlink() {}',
        },
      },
    });
    expect(dev.status).toBe(400);
    expect(dev.body.details[0]).toMatchObject({ name: 'formatter_compile_failed', attributes: { line: 2 } });
    expect(dev.body.message).toContain('`down_formatter_parameter`');
    expect(await call(server, admin, 'GET', as('/devices/dev2'))).toEqual(deviceBefore);

    const file = join(mkdtempSync(join(tmpdir(), 'mote-fmt-')), 'broken.js');
    writeFileSync(file, broken);
    const cliSet = await mote(
      [
        'applications',
        'link',
        'set',
        'app1',
        '--default-formatters.up-formatter',
        'FORMATTER_JAVASCRIPT',
        '--default-formatters.up-formatter-parameter-local-file',
        file,
      ],
      cli,
    );
    expect(cliSet.code).not.toBe(0);
    expect(cliSet.stderr).toMatch(/`up_formatter_parameter` does not compile: SyntaxError.*HTTP 400/);
    expect(await call(server, admin, 'GET', as('/link'))).toEqual(linkBefore);
  });
});
