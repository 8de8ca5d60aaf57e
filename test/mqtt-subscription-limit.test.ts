/**
 * The per-session filter limit (docs/behaviour.md §3.3), MOTE_MQTT_MAX_SUBSCRIPTIONS: counted by
 * distinct filter, and a new filter past it is refused visibly — SUBACK 0x97 (MQTT 5) or 0x80
 * (MQTT 3.1.1), logged — while the session and its filters carry on.
 */
import mqtt from 'mqtt';
import type { IConnackPacket, IPublishPacket, ISubackPacket } from 'mqtt-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, appWithKey, call } from './helpers/api';
import { type RunningMote, removeDataDir, startMote } from './helpers/mote';
import { connectPacket, KEYS, type RawClient, rawClient, startMqttServer, upMessage } from './helpers/mqtt';

const LIMIT = 1_000;
let mote: RunningMote;
let key: string;

beforeAll(async () => {
  mote = await startMote({ env: { MOTE_MQTT_MAX_SUBSCRIPTIONS: String(LIMIT) } });
  key = await appWithKey(mote, 'app1', ['RIGHT_APPLICATION_ALL']);
  const admin = await adminSession(mote);
  const d = await call(mote, admin, 'POST', '/api/v3/applications/app1/devices', {
    end_device: { ids: { device_id: 'dev-0999', dev_eui: '4200000000000999', join_eui: '4200000000000000' } },
  });
  expect(d.status).toBe(200);
});

afterAll(async () => {
  await mote?.stop();
  if (mote) removeDataDir(mote);
});

const deviceFilter = (i: number) => `v3/app1/devices/dev-${String(i).padStart(4, '0')}/up`;

async function subscribe(c: RawClient, messageId: number, topics: string[]): Promise<number[]> {
  c.send({ cmd: 'subscribe', messageId, subscriptions: topics.map((topic) => ({ topic, qos: 1 })) });
  const suback = (await c.next('suback')) as ISubackPacket;
  expect(suback.messageId).toBe(messageId);
  return suback.granted as number[];
}

describe(`MOTE_MQTT_MAX_SUBSCRIPTIONS=${LIMIT}`, () => {
  it(`${LIMIT} per-device filters are granted and deliver; one more is refused with 0x97`, async () => {
    const c = await rawClient(mote.mqttPort, 5);
    c.send({ ...connectPacket('app1', key, 'many'), protocolVersion: 5 });
    expect(((await c.next('connack')) as IConnackPacket).reasonCode).toBe(0);
    for (let batch = 0; batch < LIMIT / 100; batch++) {
      const topics = Array.from({ length: 100 }, (_, i) => deviceFilter(batch * 100 + i));
      expect(await subscribe(c, batch + 1, topics)).toEqual(Array(100).fill(1));
    }
    // The same filter again replaces the old one [MQTT-3.8.4-3] and does not count twice.
    expect(await subscribe(c, 100, [deviceFilter(5), deviceFilter(999)])).toEqual([1, 1]);
    // A new filter is over the limit, also when `#` narrows to a new `v3/app1/#`.
    expect(await subscribe(c, 101, [deviceFilter(1000), '#', deviceFilter(0)])).toEqual([0x97, 0x97, 1]);

    const sim = await call(
      mote,
      { key },
      'POST',
      '/api/v3/as/applications/app1/devices/dev-0999/up/simulate',
      {
        uplink_message: { f_port: 1, frm_payload: 'AQ==' },
      },
    );
    expect(sim.status).toBe(200);
    expect(((await c.next('publish')) as IPublishPacket).topic).toBe('v3/app1/devices/dev-0999/up');
    expect(mote.output()).toMatch(/subscriptions refused: MOTE_MQTT_MAX_SUBSCRIPTIONS reached/);
    c.socket.destroy();
  });

  it('MQTT.js over 3.1.1 sees the refusal (SUBACK 0x80) and its session carries on', async () => {
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${mote.mqttPort}`, {
      username: 'app1',
      password: key,
      reconnectPeriod: 0,
    });
    try {
      const all = Array.from({ length: LIMIT }, (_, i) => deviceFilter(i));
      const granted = await client.subscribeAsync(all, { qos: 0 });
      expect(granted.filter((g) => g.qos === 0)).toHaveLength(LIMIT);
      await expect(client.subscribeAsync(deviceFilter(LIMIT))).rejects.toThrow(/Subscribe error/);
      expect(client.connected).toBe(true);
      await client.unsubscribeAsync(deviceFilter(0));
      expect((await client.subscribeAsync(deviceFilter(LIMIT)))[0]?.qos).toBe(0);
    } finally {
      await client.endAsync();
    }
  });
});

describe('the default limit', () => {
  it('is 10 000 distinct filters', async () => {
    const t = await startMqttServer();
    try {
      const c = await rawClient(t.port, 5);
      c.send({ ...connectPacket('app1', KEYS.app1, 'default'), protocolVersion: 5 });
      expect(((await c.next('connack')) as IConnackPacket).reasonCode).toBe(0);
      for (let batch = 0; batch < 10; batch++) {
        const topics = Array.from({ length: 1_000 }, (_, i) => `v3/app1/devices/d${batch * 1_000 + i}x/#`);
        expect(new Set(await subscribe(c, batch + 1, topics))).toEqual(new Set([1]));
      }
      expect(await subscribe(c, 11, ['v3/app1/devices/d1x/#', 'v3/app1/devices/+/up'])).toEqual([1, 0x97]);
      t.ports.bus.publish(upMessage('app1', 'd9999x', 'up'));
      expect(((await c.next('publish')) as IPublishPacket).topic).toBe('v3/app1/devices/d9999x/up');
      c.socket.destroy();
    } finally {
      await t.close();
    }
  });
});
