/**
 * MQTT 5 (the stretch): the same behaviour as 3.1.1, with reason codes that say why —
 * CONNACK, SUBACK, UNSUBACK, PUBACK/PUBREC/PUBCOMP and a server DISCONNECT before it closes.
 */
import mqtt from 'mqtt';
import type {
  IConnackPacket,
  IConnectPacket,
  IDisconnectPacket,
  IPublishPacket,
  ISubackPacket,
  IUnsubackPacket,
  Packet,
} from 'mqtt-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeReason } from './helpers/closed';
import {
  connectPacket,
  KEYS,
  type RawClient,
  rawClient,
  startMqttServer,
  type TestServer,
  upMessage,
  waitFor,
} from './helpers/mqtt';

let t: TestServer;
beforeAll(async () => {
  t = await startMqttServer({ maxSubscriptions: 5 });
});
afterAll(() => t.close());

let seq = 0;
const connect5 = (password: string, extra: Partial<IConnectPacket> = {}): IConnectPacket => ({
  ...connectPacket('app1', password, `v5-${seq++}`),
  protocolVersion: 5,
  ...extra,
});

async function session5(extra: Partial<IConnectPacket> = {}, password: string = KEYS.app1) {
  const c = await rawClient(t.port, 5);
  c.send(connect5(password, extra));
  const connack = (await c.next('connack')) as IConnackPacket;
  expect(connack.reasonCode).toBe(0);
  return { c, connack };
}

async function subscribe(c: RawClient, filters: Array<[string, 0 | 1]>) {
  c.send({ cmd: 'subscribe', messageId: 1, subscriptions: filters.map(([topic, qos]) => ({ topic, qos })) });
  return ((await c.next('suback')) as ISubackPacket).granted;
}

const pub = (
  topic: string,
  qos: 1 | 2,
  messageId: number,
  properties?: IPublishPacket['properties'],
): Packet => ({
  cmd: 'publish',
  topic,
  payload: '{"downlinks":[]}',
  qos,
  messageId,
  dup: false,
  retain: false,
  properties,
});

describe('MQTT 5 CONNECT', () => {
  it('CONNACK says what is not offered', async () => {
    const { c, connack } = await session5({ properties: { sessionExpiryInterval: 3600 } });
    expect(connack.properties).toMatchObject({
      retainAvailable: false,
      sharedSubscriptionAvailable: false,
      subscriptionIdentifiersAvailable: false,
      wildcardSubscriptionAvailable: true,
      sessionExpiryInterval: 0,
    });
    c.socket.destroy();
  });

  it('an empty client ID is assigned and returned', async () => {
    const { c, connack } = await session5({ clientId: '' });
    expect(connack.properties?.assignedClientIdentifier).toMatch(/^mote-/);
    c.socket.destroy();
  });

  it.each([
    ['wrong key', 'NNSXS.NOPE.NOPE'],
    ['other application’s key', KEYS.app2],
    ['expired key', KEYS.app1Expired],
  ])('%s → 0x87 not authorized', async (_, password) => {
    const c = await rawClient(t.port, 5);
    c.send(connect5(password));
    expect(((await c.next('connack')) as IConnackPacket).reasonCode).toBe(0x87);
    expect(await closeReason(c)).toEqual({ closed: 'by server', connack: 0x87 });
  });
});

describe('MQTT 5 reason codes', () => {
  it('SUBACK: 0x87 for other applications, 0x8F for invalid filters, 0x9E for shared, 0x97 over quota', async () => {
    const { c } = await session5();
    const granted = await subscribe(c, [
      ['#', 1],
      ['v3/app2/#', 0],
      ['v3/app1/#/up', 0],
      ['$share/g/v3/app1/#', 0],
      ['v3/app1/devices/a/up', 0],
      ['v3/app1/devices/b/up', 0],
      ['v3/app1/devices/c/up', 0],
      ['v3/app1/devices/d/up', 0],
      ['v3/app1/devices/e/up', 0],
    ]);
    expect(granted).toEqual([1, 0x87, 0x8f, 0x9e, 0, 0, 0, 0, 0x97]);
    c.socket.destroy();
  });

  it('UNSUBACK: 0x00 for a removed filter, 0x11 for one that did not exist', async () => {
    const { c } = await session5();
    await subscribe(c, [['#', 0]]);
    c.send({ cmd: 'unsubscribe', messageId: 3, unsubscriptions: ['v3/#', 'v3/app1/devices/+/up'] });
    expect(((await c.next('unsuback')) as IUnsubackPacket).granted).toEqual([0, 0x11]);
    c.socket.destroy();
  });

  it('PUBACK/PUBREC: 0x87 for another application’s topic, 0x90 for a topic that takes no publishes', async () => {
    const { c } = await session5();
    const before = t.ports.downlinks.length;
    c.send(pub('v3/app2/devices/dev1/down/push', 1, 1));
    expect(await c.next('puback')).toMatchObject({ messageId: 1, reasonCode: 0x87 });
    c.send(pub('v3/app1/devices/dev1/up', 2, 2));
    expect(await c.next('pubrec')).toMatchObject({ messageId: 2, reasonCode: 0x90 });
    // A failed PUBREC ends that exchange: a PUBREL for it finds nothing.
    c.send({ cmd: 'pubrel', messageId: 2 });
    expect(await c.next('pubcomp')).toMatchObject({ messageId: 2, reasonCode: 0x92 });
    c.send(pub('v3/app1/devices/dev1/down/push', 2, 3));
    expect(await c.next('pubrec')).toMatchObject({ messageId: 3, reasonCode: 0 });
    c.send({ cmd: 'pubrel', messageId: 3 });
    expect(await c.next('pubcomp')).toMatchObject({ messageId: 3, reasonCode: 0 });
    expect(t.ports.downlinks.length - before).toBe(1);
    c.socket.destroy();
  });

  it('a topic alias that was never offered → DISCONNECT 0x94', async () => {
    const { c } = await session5();
    c.send(pub('v3/app1/devices/dev1/down/push', 1, 1, { topicAlias: 1 }));
    expect(((await c.next('disconnect')) as IDisconnectPacket).reasonCode).toBe(0x94);
    expect(await closeReason(c)).toEqual({ closed: 'by server', disconnect: 0x94 });
  });

  it('takeover → DISCONNECT 0x8E to the old session; revocation → 0x87', async () => {
    const { c: first } = await session5({ clientId: 'v5-same' });
    const { c: second } = await session5({ clientId: 'v5-same' });
    expect(((await first.next('disconnect')) as IDisconnectPacket).reasonCode).toBe(0x8e);
    expect(await closeReason(first)).toEqual({ closed: 'by server', disconnect: 0x8e });
    t.ports.grant('NNSXS.V5DOOMED.SECRET', {
      applicationId: 'app1',
      credentialId: 'V5DOOMED',
      rights: ['RIGHT_APPLICATION_ALL'],
    });
    const { c: doomed } = await session5({}, 'NNSXS.V5DOOMED.SECRET');
    t.ports.revoke('V5DOOMED');
    expect(((await doomed.next('disconnect')) as IDisconnectPacket).reasonCode).toBe(0x87);
    expect(await closeReason(doomed)).toEqual({ closed: 'by server', disconnect: 0x87 });
    second.socket.destroy();
  });
});

describe('MQTT 5 flow control', () => {
  it('Receive Maximum 1: the next QoS 1 message waits for the PUBACK', async () => {
    const { c } = await session5({ properties: { receiveMaximum: 1 } });
    await subscribe(c, [['#', 1]]);
    for (let i = 0; i < 3; i++) t.ports.bus.publish(upMessage('app1', 'dev1', 'up', i));
    const first = (await c.next('publish')) as IPublishPacket;
    // A PINGRESP after the burst proves the server sent nothing more meanwhile.
    c.send({ cmd: 'pingreq' });
    await c.next('pingresp');
    expect(c.packets.filter((p) => p.cmd === 'publish')).toHaveLength(1);
    c.send({ cmd: 'puback', messageId: first.messageId });
    const second = (await c.next('publish')) as IPublishPacket;
    c.send({ cmd: 'puback', messageId: second.messageId });
    const third = (await c.next('publish')) as IPublishPacket;
    expect([first, second, third].map((p) => JSON.parse(p.payload.toString()).n)).toEqual([0, 1, 2]);
    c.socket.destroy();
  });

  it('Maximum Packet Size: larger messages are not sent to that client', async () => {
    const { c } = await session5({ properties: { maximumPacketSize: 512 } });
    await subscribe(c, [['#', 0]]);
    const big = upMessage('app1', 'dev1', 'up', 1);
    t.ports.bus.publish({ ...big, payload: Buffer.alloc(2048, 32) });
    t.ports.bus.publish(upMessage('app1', 'dev1', 'up', 2));
    const got = (await c.next('publish')) as IPublishPacket;
    expect(JSON.parse(got.payload.toString()).n).toBe(2);
    c.socket.destroy();
  });
});

describe('MQTT.js with protocolVersion 5', () => {
  it('subscribes, receives at QoS 1, pushes a downlink, and hears refusals', async () => {
    const client = await mqtt.connectAsync(t.url, {
      username: 'app1',
      password: KEYS.app1,
      protocolVersion: 5,
      reconnectPeriod: 0,
    });
    const got: Array<[string, number]> = [];
    client.on('message', (topic, _payload, packet) => got.push([topic, packet.qos]));
    await client.subscribeAsync('v3/+/devices/+/up', { qos: 1 });
    t.ports.bus.publish(upMessage('app1', 'dev4', 'up'));
    await waitFor(() => got.length === 1);
    expect(got).toEqual([['v3/app1/devices/dev4/up', 1]]);

    const before = t.ports.downlinks.length;
    await client.publishAsync('v3/app1/devices/dev4/down/push', '{"downlinks":[]}', { qos: 1 });
    expect(t.ports.downlinks.length - before).toBe(1);
    await expect(client.publishAsync('v3/app2/devices/dev4/down/push', '{}', { qos: 1 })).rejects.toThrow();
    await expect(client.subscribeAsync('v3/app2/#')).rejects.toThrow();
    await client.endAsync();
  });
});
