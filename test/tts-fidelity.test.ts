/**
 * Issue 15 against a real Mote: devices' `version_ids` (HTTP with TTS's field mask, carried on
 * every `up`), `normalizeUplink` (`normalized_payload`, `up/normalized`, storage type
 * `uplink_normalized`) seen by MQTT.js, and the HTTP API's TTS shapes (200 on create, typed error
 * details, JSON 404 for any unknown `/api/v3/…` path) with plain fetch.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, type Caller, call } from './helpers/api';
import { type RunningMote, removeDataDir, startMote } from './helpers/mote';
import { waitFor } from './helpers/mqtt';

let server: RunningMote;
let admin: Caller;
let client: MqttClient;
const received: { topic: string; body: Record<string, unknown> }[] = [];

const DEVICES = '/api/v3/applications/app1/devices';
const as = (path: string) => `/api/v3/as/applications/app1${path}`;
const ERROR_DETAILS = 'type.googleapis.com/ttn.lorawan.v3.ErrorDetails';

const FORMATTER = `
function decodeUplink(input) {
  return { data: { celsius: input.bytes[0], mode: input.bytes[1] }, warnings: [] };
}
function normalizeUplink(input) {
  if (input.data.mode === 1) return { errors: ['mode 1 cannot be normalized'] };
  if (input.data.mode === 2) throw new Error('normalizer crashed');
  return {
    data: [{ air: { temperature: input.data.celsius } }, {}, { air: { temperature: input.data.celsius + 1 } }],
    warnings: ['second sensor estimated'],
  };
}`;

const on = (dev: string, suffix: string) => (m: { topic: string }) =>
  m.topic === `v3/app1/devices/${dev}/${suffix}`;

async function uplink(dev: string, bytes: number[]) {
  const r = await call(server, admin, 'POST', as(`/devices/${dev}/up/simulate`), {
    uplink_message: { f_port: 1, frm_payload: Buffer.from(bytes).toString('base64') },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

/** The next message on `dev`'s `suffix` topic after `from` messages were received. */
async function next(dev: string, suffix: string, from: number) {
  await waitFor(() => received.slice(from).some(on(dev, suffix)), 10);
  return received.slice(from).filter(on(dev, suffix));
}

beforeAll(async () => {
  server = await startMote();
  admin = await adminSession(server);
  const app = await call(server, admin, 'POST', '/api/v3/applications', {
    application: { ids: { application_id: 'app1' } },
  });
  expect(app.status, JSON.stringify(app.body)).toBe(200);
  const key = await call<{ key: string }>(server, admin, 'POST', '/api/v3/applications/app1/api-keys', {
    name: 'mqtt',
    rights: ['RIGHT_APPLICATION_TRAFFIC_READ'],
  });
  client = await mqtt.connectAsync(`mqtt://127.0.0.1:${server.mqttPort}`, {
    username: 'app1',
    password: key.body.key,
    reconnectPeriod: 0,
  });
  client.on('message', (topic, payload) => {
    received.push({ topic, body: JSON.parse(payload.toString()) as Record<string, unknown> });
  });
  await client.subscribeAsync(['v3/app1/devices/+/up', 'v3/app1/devices/+/up/normalized']);
});

afterAll(async () => {
  await client?.endAsync();
  await server?.stop();
  if (server) removeDataDir(server);
});

describe('version_ids', () => {
  const versionIds = {
    brand_id: 'the-things-industries',
    model_id: 'generic-node-sensor-edition',
    hardware_version: '1.0',
    firmware_version: '1.0',
    band_id: 'EU_863_870',
  };

  it('are stored on create (200, the created device), shown by GET and carried on every up', async () => {
    const created = await call(server, admin, 'POST', DEVICES, {
      end_device: { ids: { device_id: 'node1' }, version_ids: versionIds },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    expect(created.body).toMatchObject({ ids: { device_id: 'node1' }, version_ids: versionIds });
    const got = await call(server, admin, 'GET', `${DEVICES}/node1?field_mask=version_ids`);
    expect(got.body.version_ids).toEqual(versionIds);

    const from = received.length;
    await uplink('node1', [21, 0]);
    const [up] = await next('node1', 'up', from);
    expect((up?.body.uplink_message as Record<string, unknown> | undefined)?.version_ids).toEqual(versionIds);
  });

  it('an update with a field mask writes the paths it names, and the next up carries the change', async () => {
    const one = await call(server, admin, 'PUT', `${DEVICES}/node1`, {
      end_device: { version_ids: { firmware_version: '2.1', brand_id: 'ignored-not-in-mask' } },
      field_mask: { paths: ['version_ids.firmware_version'] },
    });
    expect(one.status, JSON.stringify(one.body)).toBe(200);
    expect(one.body.version_ids).toEqual({ ...versionIds, firmware_version: '2.1' });

    const from = received.length;
    await uplink('node1', [22, 0]);
    const [up] = await next('node1', 'up', from);
    expect((up?.body.uplink_message as Record<string, unknown> | undefined)?.version_ids).toEqual({
      ...versionIds,
      firmware_version: '2.1',
    });

    // `version_ids` as a whole: the fields left out of the body are cleared.
    const whole = await call(server, admin, 'PUT', `${DEVICES}/node1`, {
      end_device: { version_ids: { brand_id: 'acme', model_id: 'model-1' } },
      field_mask: { paths: ['version_ids'] },
    });
    expect(whole.body.version_ids, JSON.stringify(whole.body)).toEqual({
      brand_id: 'acme',
      model_id: 'model-1',
    });
    // Without a mask (Mote's merge update), the fields given are set and the rest kept.
    const merged = await call(server, admin, 'PUT', `${DEVICES}/node1`, {
      end_device: { version_ids: { band_id: 'US_902_928' } },
    });
    expect(merged.body.version_ids).toEqual({ brand_id: 'acme', model_id: 'model-1', band_id: 'US_902_928' });
  });

  it('a bad value is refused with the field named and leaves the device as it was', async () => {
    // last_seen_at is written behind the uplinks above, whenever its batch flushes.
    const stored = async () => {
      const { last_seen_at: _, ...device } = (await call(server, admin, 'GET', `${DEVICES}/node1`)).body;
      return device;
    };
    const before = await stored();
    for (const [field, value, message] of [
      ['brand_id', 'Not An ID', /version_ids\.brand_id.*lowercase/],
      ['hardware_version', 'x'.repeat(33), /version_ids\.hardware_version.*at most 32/],
    ] as const) {
      const r = await call<{ code: number; message: string; details: Record<string, unknown>[] }>(
        server,
        admin,
        'PUT',
        `${DEVICES}/node1`,
        { end_device: { version_ids: { [field]: value } } },
      );
      expect(r.status).toBe(400);
      expect(r.body.message).toMatch(message);
      expect(r.body.details[0]?.['@type']).toBe(ERROR_DETAILS);
    }
    const unknown = await call(server, admin, 'PUT', `${DEVICES}/node1`, {
      end_device: { version_ids: { vendor: 'x' } },
    });
    expect(unknown.status).toBe(400);
    expect(String(unknown.body.message)).toMatch(/unknown field vendor/);
    expect(await stored()).toEqual(before);
  });
});

describe('normalizeUplink', () => {
  beforeAll(async () => {
    for (const dev of ['norm1', 'norm2']) {
      const r = await call(server, admin, 'POST', DEVICES, { end_device: { ids: { device_id: dev } } });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
    const link = await call(server, admin, 'PUT', as('/link'), {
      link: {
        default_formatters: { up_formatter: 'FORMATTER_JAVASCRIPT', up_formatter_parameter: FORMATTER },
      },
    });
    expect(link.status, JSON.stringify(link.body)).toBe(200);
  });

  it('fills normalized_payload and its warnings, and publishes each measurement on up/normalized', async () => {
    const from = received.length;
    await uplink('norm1', [20, 0]);
    const [up] = await next('norm1', 'up', from);
    const message = up?.body.uplink_message as Record<string, unknown>;
    expect(message.decoded_payload).toEqual({ celsius: 20, mode: 0 });
    // The empty measurement is left out, as TTS does.
    expect(message.normalized_payload).toEqual([{ air: { temperature: 20 } }, { air: { temperature: 21 } }]);
    expect(message.normalized_payload_warnings).toEqual(['second sensor estimated']);

    await waitFor(() => received.slice(from).filter(on('norm1', 'up/normalized')).length === 2, 10);
    const normalized = received.slice(from).filter(on('norm1', 'up/normalized'));
    expect(normalized.map((m) => m.body.uplink_normalized)).toEqual([
      expect.objectContaining({
        f_port: 1,
        frm_payload: 'FAA=',
        normalized_payload: { air: { temperature: 20 } },
        normalized_payload_warnings: ['second sensor estimated'],
      }),
      expect.objectContaining({ normalized_payload: { air: { temperature: 21 } } }),
    ]);
    for (const m of normalized) {
      expect(m.body.end_device_ids).toMatchObject({ device_id: 'norm1' });
      expect(m.body.uplink_normalized).not.toHaveProperty('decoded_payload');
      expect(m.body.correlation_ids).toEqual(up?.body.correlation_ids);
    }

    // The storage type `uplink_normalized` serves them too, once history's write-behind wrote them.
    const storedLines = async () => {
      const r = await fetch(`${server.url}${as('/devices/norm1/packages/storage/uplink_normalized')}`, {
        headers: { cookie: (admin as { cookie: string }).cookie },
      });
      return (await r.text()).trim().split('\n').filter(Boolean);
    };
    let lines = await storedLines();
    while (lines.length < 2) {
      await new Promise((r) => setTimeout(r, 50));
      lines = await storedLines();
    }
    // Both share the uplink's received_at: their order in storage is not defined.
    const temperatures = lines.map((l) => JSON.parse(l).result.uplink_normalized.normalized_payload);
    expect(temperatures).toHaveLength(2);
    expect(temperatures).toEqual(
      expect.arrayContaining([{ air: { temperature: 20 } }, { air: { temperature: 21 } }]),
    );
  });

  it("the formatter test endpoint shows normalizeUplink's result beside the decoded payload", async () => {
    const r = await call(server, admin, 'POST', as('/formatters/test'), {
      formatters: { up_formatter: 'FORMATTER_JAVASCRIPT', up_formatter_parameter: FORMATTER },
      uplink: { f_port: 1, frm_payload: Buffer.from([5, 0]).toString('base64') },
    });
    expect(r).toEqual({
      status: 200,
      body: {
        decoded_payload: { celsius: 5, mode: 0 },
        normalized_payload: [{ air: { temperature: 5 } }, { air: { temperature: 6 } }],
        normalized_payload_warnings: ['second sensor estimated'],
      },
    });
  });

  it('errors returned by normalizeUplink keep decoded_payload; a throw drops it — neither is normalized', async () => {
    const from = received.length;
    await uplink('norm2', [30, 1]);
    await uplink('norm2', [31, 2]);
    // A later good uplink: MQTT keeps order, so once its normalized message is here, any from
    // the two before would have arrived.
    await uplink('norm2', [32, 0]);
    await waitFor(() => received.slice(from).filter(on('norm2', 'up/normalized')).length === 2, 10);
    const ups = received.slice(from).filter(on('norm2', 'up'));
    const messages = ups.map((m) => m.body.uplink_message as Record<string, unknown>);
    expect(messages[0]?.decoded_payload).toEqual({ celsius: 30, mode: 1 });
    expect(messages[0]).not.toHaveProperty('normalized_payload');
    expect(messages[1]).not.toHaveProperty('decoded_payload');
    expect(messages[1]).not.toHaveProperty('normalized_payload');
    expect(messages[2]?.normalized_payload).toHaveLength(2);
    const normalized = received.slice(from).filter(on('norm2', 'up/normalized'));
    expect(normalized.map((m) => (m.body.uplink_normalized as Record<string, unknown>).frm_payload)).toEqual([
      'IAA=',
      'IAA=',
    ]);
  });
});

describe('HTTP in TTS shapes', () => {
  it('every create answers 200 with the created entity', async () => {
    const app = await call(server, admin, 'POST', '/api/v3/applications', {
      application: { ids: { application_id: 'app2' }, name: 'Two' },
    });
    expect(app).toMatchObject({ status: 200, body: { ids: { application_id: 'app2' }, name: 'Two' } });
    const dev = await call(server, admin, 'POST', '/api/v3/applications/app2/devices', {
      end_device: { ids: { device_id: 'dev1' } },
    });
    expect(dev).toMatchObject({ status: 200, body: { ids: { device_id: 'dev1' } } });
    const key = await call(server, admin, 'POST', '/api/v3/applications/app2/api-keys', {
      name: 'k',
      rights: ['RIGHT_APPLICATION_TRAFFIC_READ'],
    });
    expect(key).toMatchObject({ status: 200, body: { name: 'k', key: expect.stringMatching(/^NNSXS\./) } });
    const gtw = await call(server, admin, 'POST', '/api/v3/gateways', {
      gateway: {
        ids: { gateway_id: 'gtw1', eui: '00800000A00009EF' },
        frequency_plan_id: 'EU_863_870',
      },
    });
    expect(gtw).toMatchObject({
      status: 200,
      body: { ids: { gateway_id: 'gtw1', eui: '00800000A00009EF' } },
    });
  });

  it('errors carry details[0]["@type"] = ErrorDetails beside code, message, namespace and name', async () => {
    const r = await call<{ code: number; message: string; details: Record<string, unknown>[] }>(
      server,
      admin,
      'GET',
      `${DEVICES}/nobody`,
    );
    expect(r.status).toBe(404);
    expect(r.body.code).toBe(5);
    expect(r.body.details[0]).toMatchObject({ '@type': ERROR_DETAILS, code: 5, name: expect.any(String) });
    expect(Object.keys(r.body.details[0] ?? {})[0]).toBe('@type');
  });

  it('any unknown /api/v3 path, with any method, answers a JSON 404 with code 5, never HTML', async () => {
    for (const [method, path] of [
      ['GET', '/api/v3/nothing-here'],
      ['POST', '/api/v3/applications/app1/devices/node1/frobnicate'],
      ['DELETE', '/api/v3/as/applications/app1/webhooks/wh1'],
      ['PUT', '/api/v3/a/b/c/d/e/f'],
      ['PATCH', '/api/v3/gs/x'],
    ] as const) {
      const res = await fetch(`${server.url}${path}`, { method });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const body = (await res.json()) as { code: number; message: string; details: unknown[] };
      expect(body.code).toBe(5);
      expect(body.message).toContain(`${method} ${path}`);
    }
  });
});
