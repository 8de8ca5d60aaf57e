/**
 * `down/push` from several MQTT clients at once against a real server (issue 18): pushes that
 * arrive together are stored together, yet each keeps its own outcome. A push to a full queue
 * hears `down/failed` alone; the pushes beside it are acknowledged, queued in order and announced
 * with `down/queued`.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, appWithKey, call } from './helpers/api';
import { type RunningMote, removeDataDir, startMote } from './helpers/mote';
import { waitFor } from './helpers/mqtt';

const APP = 'app1';
const DEVICES = ['full', 'dev-a', 'dev-b'];
let mote: RunningMote;
let key: string;
const clients: MqttClient[] = [];

const connect = async () => {
  const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${mote.mqttPort}`, { username: APP, password: key });
  clients.push(c);
  return c;
};

const item = (fPort: number, cid: string) => ({ f_port: fPort, frm_payload: 'vu8=', correlation_ids: [cid] });

const queueOf = async (device: string) => {
  const res = await call<{ downlinks: { f_port: number }[] }>(
    mote,
    { key },
    'GET',
    `/api/v3/as/applications/${APP}/devices/${device}/down`,
  );
  return res.body.downlinks.map((d) => d.f_port);
};

beforeAll(async () => {
  mote = await startMote({ env: { MOTE_QUEUE_CAPACITY: '2' } });
  key = await appWithKey(mote, APP, ['RIGHT_APPLICATION_ALL']);
  const admin = await adminSession(mote);
  for (const [i, device] of DEVICES.entries()) {
    const created = await call(mote, admin, 'POST', `/api/v3/applications/${APP}/devices`, {
      end_device: {
        ids: { device_id: device, dev_eui: `420000000000000${i + 1}`, join_eui: '4200000000000000' },
      },
    });
    expect(created.status).toBe(200);
  }
  const filled = await call(mote, { key }, 'POST', `/api/v3/as/applications/${APP}/devices/full/down/push`, {
    downlinks: [item(9, 'first'), item(9, 'second')],
  });
  expect(filled.status).toBe(200);
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync()));
  await mote?.stop();
  if (mote) removeDataDir(mote);
});

describe('down/push from several clients at once', () => {
  it('a push to a full queue fails alone; the others are queued, each device in order', async () => {
    const watcher = await connect();
    const seen: {
      topic: string;
      body: Record<string, { correlation_ids?: string[]; error?: { name: string } }>;
    }[] = [];
    watcher.on('message', (topic, payload) => seen.push({ topic, body: JSON.parse(payload.toString()) }));
    await watcher.subscribeAsync(`v3/${APP}/devices/+/down/#`, { qos: 1 });
    const pushers = await Promise.all([connect(), connect(), connect()]);
    const push = (c: MqttClient, device: string, fPort: number, cid: string) =>
      c.publishAsync(
        `v3/${APP}/devices/${device}/down/push`,
        JSON.stringify({ downlinks: [item(fPort, cid)] }),
        {
          qos: 1,
        },
      );

    await Promise.all([
      push(pushers[0] as MqttClient, 'full', 3, 'too-many'),
      push(pushers[1] as MqttClient, 'dev-a', 1, 'a1').then(() =>
        push(pushers[1] as MqttClient, 'dev-a', 2, 'a2'),
      ),
      push(pushers[2] as MqttClient, 'dev-b', 4, 'b1'),
    ]);

    expect(await queueOf('full')).toEqual([9, 9]);
    expect(await queueOf('dev-a')).toEqual([1, 2]);
    expect(await queueOf('dev-b')).toEqual([4]);
    const answers = () => seen.filter((m) => /\/down\/(queued|failed)$/.test(m.topic));
    await waitFor(() => answers().length >= 4);
    const failed = seen.filter((m) => m.topic === `v3/${APP}/devices/full/down/failed`);
    expect(failed).toHaveLength(1);
    expect(failed[0]?.body.downlink_failed?.error?.name).toBe('downlink_queue_full');
    const queuedCids = seen
      .filter((m) => m.topic.endsWith('/down/queued'))
      .flatMap((m) => m.body.downlink_queued?.correlation_ids ?? [])
      .filter((c) => !c.startsWith('as:'));
    expect(queuedCids.sort()).toEqual(['a1', 'a2', 'b1']);
  });
});
