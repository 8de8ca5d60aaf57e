/**
 * TTS Cloud style usernames, `{app}@{tenant}` (docs/behaviour.md §3.2), against a real server
 * with real clients: a session speaks topics in the form it logged in with, side by side with a
 * plain session of the same application; another tenant is refused and named in the log.
 */
import mqtt, { type MqttClient } from 'mqtt';
import type { IConnackPacket, ISubackPacket } from 'mqtt-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, appWithKey, type Caller, call } from './helpers/api';
import { closeReason } from './helpers/closed';
import { mosquittoSub } from './helpers/mosquitto';
import { type RunningMote, removeDataDir, startMote } from './helpers/mote';
import { connectPacket, rawClient, waitFor } from './helpers/mqtt';

let mote: RunningMote;
let admin: Caller;
let key: string;
const clients: MqttClient[] = [];

beforeAll(async () => {
  mote = await startMote();
  admin = await adminSession(mote);
  key = await appWithKey(mote, 'app1', ['RIGHT_APPLICATION_ALL']);
  await appWithKey(mote, 'app2', ['RIGHT_APPLICATION_ALL']);
  const d = await call(mote, admin, 'POST', '/api/v3/applications/app1/devices', {
    end_device: { ids: { device_id: 'dev1', dev_eui: '4200000000000011', join_eui: '4200000000000000' } },
  });
  expect(d.status).toBe(200);
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync()));
  await mote?.stop();
  if (mote) removeDataDir(mote);
});

async function client(username: string, clientId: string): Promise<{ c: MqttClient; topics: string[] }> {
  const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${mote.mqttPort}`, {
    username,
    password: key,
    clientId,
    reconnectPeriod: 0,
  });
  clients.push(c);
  const topics: string[] = [];
  c.on('message', (topic) => topics.push(topic));
  return { c, topics };
}

const simulateUplink = async (n: number) => {
  const r = await call(mote, { key }, 'POST', '/api/v3/as/applications/app1/devices/dev1/up/simulate', {
    uplink_message: { f_port: 1, frm_payload: Buffer.from(`n:${n}`).toString('base64') },
  });
  expect(r.status).toBe(200);
};

describe('{app}@{tenant} usernames', () => {
  it('a plain and a tenant session, MQTT.js and mosquitto_sub, each get the uplink on its own topic form', async () => {
    const plain = await client('app1', 'plain');
    const tenant = await client('app1@ttn', 'tenant');
    // MQTT.js rejects a SUBACK failure (0x80): taken here as that code.
    const granted = (c: MqttClient, topic: string) =>
      c.subscribeAsync(topic, { qos: 1 }).then(
        (g) => g[0]?.qos,
        (e: Error) => (/Subscribe error/.test(e.message) ? 0x80 : Promise.reject(e)),
      );
    expect(await granted(plain.c, 'v3/app1/devices/+/up')).toBe(1);
    expect(await granted(tenant.c, 'v3/app1@ttn/devices/+/up')).toBe(1);
    // Each form only in its own session; another application in either form is refused.
    expect(await granted(tenant.c, 'v3/app1/devices/+/up')).toBe(0x80);
    expect(await granted(plain.c, 'v3/app1@ttn/devices/+/up')).toBe(0x80);
    expect(await granted(tenant.c, 'v3/app2@ttn/#')).toBe(0x80);
    expect(await granted(tenant.c, 'v3/app2/#')).toBe(0x80);
    const sub = await mosquittoSub(mote.mqttPort, 'app1@ttn', key, 'v3/app1@ttn/devices/dev1/up');
    try {
      await simulateUplink(1);
      const received = await sub.until((m) => m.length >= 1);
      expect(received.map((m) => m.topic)).toEqual(['v3/app1@ttn/devices/dev1/up']);
      await waitFor(() => plain.topics.length >= 1 && tenant.topics.length >= 1);
      expect(plain.topics).toEqual(['v3/app1/devices/dev1/up']);
      expect(tenant.topics).toEqual(['v3/app1@ttn/devices/dev1/up']);
    } finally {
      sub.stop();
    }
  });

  it('down/push and down/replace on the tenant form queue downlinks, answered on the tenant form', async () => {
    const tenant = await client('app1@ttn', 'pusher');
    await tenant.c.subscribeAsync('v3/app1@ttn/devices/dev1/down/#', { qos: 1 });
    const item = (f_port: number) => JSON.stringify({ downlinks: [{ f_port, frm_payload: 'vu8=' }] });
    await tenant.c.publishAsync('v3/app1@ttn/devices/dev1/down/replace', item(7), { qos: 1 });
    await tenant.c.publishAsync('v3/app1@ttn/devices/dev1/down/push', item(8), { qos: 1 });
    type Queue = { downlinks: { f_port: number }[] };
    const queue = await call<Queue>(mote, admin, 'GET', '/api/v3/as/applications/app1/devices/dev1/down');
    expect(queue.body.downlinks.map((d) => d.f_port)).toEqual([7, 8]);
    await waitFor(() => tenant.topics.length >= 2);
    expect(tenant.topics).toEqual([
      'v3/app1@ttn/devices/dev1/down/queued',
      'v3/app1@ttn/devices/dev1/down/queued',
    ]);
  });

  it('a push on the plain form from a tenant session, or to another application, is dropped', async () => {
    const tenant = await client('app1@ttn', 'stray');
    const item = JSON.stringify({ downlinks: [{ f_port: 9, frm_payload: 'vu8=' }] });
    await tenant.c.publishAsync('v3/app1/devices/dev1/down/push', item, { qos: 1 });
    await tenant.c.publishAsync('v3/app2@ttn/devices/dev1/down/push', item, { qos: 1 });
    type Queue = { downlinks: { f_port: number }[] };
    const queue = await call<Queue>(mote, admin, 'GET', '/api/v3/as/applications/app1/devices/dev1/down');
    expect(queue.body.downlinks.map((d) => d.f_port)).not.toContain(9);
  });

  it.each([
    [4, 5],
    [5, 0x87],
  ] as const)('MQTT %i: another tenant is refused (%i), named in the log', async (version, code) => {
    const c = await rawClient(mote.mqttPort, version);
    c.send({ ...connectPacket('app1@other', key, `wrong-tenant-${version}`), protocolVersion: version });
    expect(await closeReason(c)).toEqual({ closed: 'by server', connack: code });
    if (version === 5) {
      const connack = c.packets.find((p) => p.cmd === 'connack') as IConnackPacket;
      expect(connack.properties?.reasonString).toBe('unknown tenant "other"');
    }
    await waitFor(() =>
      /unknown tenant[^\n]*"tenant":"other"|"tenant":"other"[^\n]*unknown tenant/.test(mote.output()),
    );
  });

  it('mosquitto_sub with another tenant is refused', async () => {
    await expect(mosquittoSub(mote.mqttPort, 'app1@other', key, '#')).rejects.toThrow(/not authori/i);
  });

  it('SUBACK for the tenant form over raw MQTT 5', async () => {
    const c = await rawClient(mote.mqttPort, 5);
    c.send({ ...connectPacket('app1@ttn', key, 'raw5'), protocolVersion: 5 });
    expect(((await c.next('connack')) as IConnackPacket).reasonCode).toBe(0);
    c.send({
      cmd: 'subscribe',
      messageId: 1,
      subscriptions: [
        { topic: 'v3/app1@ttn/devices/dev1/up', qos: 0 },
        { topic: 'v3/other@ttn/devices/dev1/up', qos: 0 },
      ],
    });
    expect(((await c.next('suback')) as ISubackPacket).granted).toEqual([0, 0x87]);
    c.socket.destroy();
  });
});
