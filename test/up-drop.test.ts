/**
 * `up/drop` (issue 12 "Frames"): a frame the network layer drops for a known device reaches the
 * console's MQTT session (console token) and no API-key session, as `up/decode/failed` does
 * (test/formatters.test.ts). In-process: no gateway frontend yet, so the frame is handed to
 * `mote.ns` directly, as the simulator and later the gateways do.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readConfig } from '../server/config';
import { silentLogger } from '../server/log';
import { createMote, type Mote } from '../server/mote';
import { at } from './helpers/at';
import { waitFor } from './helpers/mqtt';
import { OtaaDevice, radio } from './helpers/otaaDevice';

const EUI = '4200000000000001';
const dir = mkdtempSync(join(tmpdir(), 'mote-up-drop-'));
let mote: Mote;
let port: number;
const clients: MqttClient[] = [];

beforeAll(async () => {
  const config = readConfig({
    NODE_ENV: 'test',
    MOTE_DATA_DIR: dir,
    MOTE_DEMO: '0',
    MOTE_ADMIN_PASSWORD: 'up-drop-password',
    MQTT_PORT: '0',
    MOTE_UDP_PORT: '0',
    HOST: '127.0.0.1',
  });
  mote = await createMote(config, {
    log: silentLogger,
    scripts: false,
    intervals: { historyFlushMs: 0, lastSeenFlushMs: 0, pruneMs: 0, simulatorTickMs: 0 },
  });
  port = (await mote.listen({ web: false })).mqtt;
  const now = new Date();
  await mote.store.applications.create('app1', {}, now);
  await mote.store.devices.create(
    'app1',
    'dev1',
    {
      dev_eui: EUI,
      join_eui: EUI,
      frequency_plan_id: 'EU_863_870',
      lorawan_version: 'MAC_V1_0_3',
      supports_join: true,
      app_key: randomBytes(16).toString('hex').toUpperCase(),
    },
    now,
  );
});

afterAll(async () => {
  for (const c of clients) await c.endAsync(true);
  await mote?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function subscriber(password: string) {
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
    username: 'app1',
    password,
    reconnectPeriod: 0,
  });
  clients.push(client);
  const received: { topic: string; body: Record<string, unknown> }[] = [];
  client.on('message', (topic, payload) => received.push({ topic, body: JSON.parse(payload.toString()) }));
  await client.subscribeAsync('#');
  return received;
}

it('a JoinRequest with a wrong MIC: up/drop for console sessions only, with the reason', async () => {
  const admin = { kind: 'admin', credentialId: 'test', username: 'admin' } as const;
  const { key } = await mote.apiKeys.create(admin, 'app1', {
    name: 'traffic',
    rights: ['RIGHT_APPLICATION_TRAFFIC_READ'],
  });
  const withKey = await subscriber(key);
  const { sessionId } = await mote.consoleAuth.login('up-drop-password', '127.0.0.1');
  const console = await subscriber((await mote.consoleAuth.issueToken(sessionId))!.token);

  // The device's EUIs with another AppKey: the network layer finds the device, the MIC fails.
  const impostor = new OtaaDevice('00'.repeat(16), EUI, EUI);
  await expect(mote.ns.handleUplink(impostor.joinRequest(), radio(new Date()))).resolves.toBeUndefined();
  // A frame of no known device: counted, but no device topic to publish on.
  const stranger = new OtaaDevice('00'.repeat(16), '4200000000000099', '4200000000000099');
  await mote.ns.handleUplink(stranger.joinRequest(), radio(new Date()));
  expect(mote.ns.stats().drops).toEqual({ mic_mismatch: 1, unknown_join_eui: 1 });

  await waitFor(() => console.length >= 1);
  expect(console.map((m) => m.topic)).toEqual(['v3/app1/devices/dev1/up/drop']);
  const drop = at(console, 0).body;
  expect(drop).toMatchObject({
    end_device_ids: { device_id: 'dev1', application_ids: { application_id: 'app1' }, dev_eui: EUI },
    correlation_ids: [expect.stringMatching(/^ns:uplink:/)],
    received_at: expect.any(String),
    uplink_drop: { error: { name: 'mic_mismatch', message: expect.any(String) } },
  });
  // The API key's session got nothing: same bus message, filtered by audience before delivery.
  // A join published after the drop proves its session was delivering.
  const device = new OtaaDevice((await mote.store.devices.getKeys('app1', 'dev1')).app_key ?? '', EUI, EUI);
  expect(await mote.ns.handleUplink(device.joinRequest(), radio(new Date()))).toBeDefined();
  await waitFor(() => withKey.length >= 1 && console.length >= 2);
  expect(withKey.map((m) => m.topic)).toEqual(['v3/app1/devices/dev1/join']);
});
