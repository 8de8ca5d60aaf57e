/**
 * MQTT 3.1.1 mechanics over raw sockets: QoS 0/1 out, QoS 1/2 in, one delivery for
 * overlapping filters, UNSUBSCRIBE, DISCONNECT, protocol violations, packet size and fuzz.
 * A violation that ends a session is also sent over MQTT 5, whose DISCONNECT says why.
 */
import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import type { IConnackPacket, IPublishPacket, ISubackPacket } from 'mqtt-packet';
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
} from './helpers/mqtt';

let t: TestServer;
beforeAll(async () => {
  t = await startMqttServer({ maxPacketSize: 4096, maxSubscriptions: 3 });
});
afterAll(() => t.close());

let clientSeq = 0;
async function session(protocolVersion: 3 | 4 | 5 = 4): Promise<RawClient> {
  const c = await rawClient(t.port, protocolVersion);
  const connect = connectPacket('app1', KEYS.app1, `proto-${clientSeq++}`);
  c.send(
    protocolVersion === 3
      ? { ...connect, protocolId: 'MQIsdp', protocolVersion: 3 }
      : { ...connect, protocolVersion },
  );
  const connack = (await c.next('connack')) as IConnackPacket;
  // MQTT 5 calls the CONNACK's return code a reason code.
  expect(connack.returnCode ?? connack.reasonCode).toBe(0);
  return c;
}

/** MQTT 3.1.1 has no way to say why the server closes; MQTT 5 sends DISCONNECT with a reason. */
const closedFor = (disconnect: number) =>
  [
    [4, { closed: 'by server' }],
    [5, { closed: 'by server', disconnect }],
  ] as const;

async function subscribe(c: RawClient, filters: Array<[string, 0 | 1 | 2]>): Promise<number[]> {
  c.send({ cmd: 'subscribe', messageId: 1, subscriptions: filters.map(([topic, qos]) => ({ topic, qos })) });
  return ((await c.next('suback')) as ISubackPacket).granted as number[];
}

const publishes = (c: RawClient) => c.packets.filter((p): p is IPublishPacket => p.cmd === 'publish');

describe('outbound', () => {
  it('a message matching several filters is delivered once, at the highest granted QoS', async () => {
    const c = await session();
    expect(
      await subscribe(c, [
        ['#', 0],
        ['v3/app1/devices/+/up', 1],
        ['v3/+/devices/dev1/#', 0],
      ]),
    ).toEqual([0, 1, 0]);
    t.ports.bus.publish(upMessage('app1', 'dev1', 'up'));
    t.ports.bus.publish(upMessage('app1', 'dev1', 'join'));
    const first = (await c.next('publish')) as IPublishPacket;
    const second = (await c.next('publish')) as IPublishPacket;
    expect([first.topic, first.qos, second.topic, second.qos]).toEqual([
      'v3/app1/devices/dev1/up',
      1,
      'v3/app1/devices/dev1/join',
      0,
    ]);
    expect(publishes(c)).toHaveLength(2);
    c.socket.destroy();
  });

  it('QoS 1: distinct packet identifiers, PUBACKed by the client, the payload byte-identical', async () => {
    const c = await session();
    await subscribe(c, [['v3/app1/#', 1]]);
    const sent = [upMessage('app1', 'dev1', 'up', 1), upMessage('app1', 'dev1', 'up', 2)];
    for (const m of sent) t.ports.bus.publish(m);
    const first = (await c.next('publish')) as IPublishPacket;
    const second = (await c.next('publish')) as IPublishPacket;
    const got = [first, second];
    expect(got.map((p) => p.qos)).toEqual([1, 1]);
    expect(first.messageId).not.toBe(second.messageId);
    expect(got.map((p) => Buffer.from(p.payload).toString())).toEqual(sent.map((m) => m.payload.toString()));
    for (const p of got) c.send({ cmd: 'puback', messageId: p.messageId });
    c.send({ cmd: 'pingreq' });
    await c.next('pingresp');
    c.socket.destroy();
  });

  it('MQTT.js gets QoS 1 messages and acknowledges them', async () => {
    const client = await mqtt.connectAsync(t.url, {
      username: 'app1',
      password: KEYS.app1,
      reconnectPeriod: 0,
    });
    const got: number[] = [];
    client.on('message', (_topic, _payload, packet) => got.push(packet.qos));
    await client.subscribeAsync('#', { qos: 1 });
    for (let i = 0; i < 100; i++) t.ports.bus.publish(upMessage('app1', 'dev1', 'up', i));
    await new Promise<void>((resolve) => {
      const check = () => (got.length === 100 ? resolve() : setTimeout(check, 5));
      check();
    });
    expect(new Set(got)).toEqual(new Set([1]));
    await client.endAsync();
  });

  it('UNSUBSCRIBE removes the scoped filter; UNSUBACK echoes the identifier', async () => {
    const c = await session();
    await subscribe(c, [
      ['#', 0],
      ['v3/app1/devices/dev2/up', 0],
    ]);
    c.send({ cmd: 'unsubscribe', messageId: 42, unsubscriptions: ['#', 'never/subscribed'] });
    expect((await c.next('unsuback')).messageId).toBe(42);
    t.ports.bus.publish(upMessage('app1', 'dev1', 'up'));
    t.ports.bus.publish(upMessage('app1', 'dev2', 'up'));
    expect(((await c.next('publish')) as IPublishPacket).topic).toBe('v3/app1/devices/dev2/up');
    expect(publishes(c)).toHaveLength(1);
    c.socket.destroy();
  });

  it('filters past the per-session limit get 0x80; re-subscribing an existing one does not count', async () => {
    const c = await session();
    const devices = ['dev1', 'dev2', 'dev3', 'dev4'].map((d): [string, 0] => [`v3/app1/devices/${d}/up`, 0]);
    expect(await subscribe(c, devices)).toEqual([0, 0, 0, 0x80]);
    expect(await subscribe(c, [['v3/+/devices/dev1/up', 1]])).toEqual([1]);
    c.socket.destroy();
  });

  it('MQTT 3.1 (MQIsdp) sessions work the same', async () => {
    const c = await session(3);
    expect(await subscribe(c, [['v3/#', 1]])).toEqual([1]);
    t.ports.bus.publish(upMessage('app1', 'dev9', 'down/ack'));
    expect(((await c.next('publish')) as IPublishPacket).topic).toBe('v3/app1/devices/dev9/down/ack');
    c.socket.destroy();
  });
});

describe('inbound QoS', () => {
  const push = (messageId: number, qos: 1 | 2, dup = false) =>
    ({
      cmd: 'publish',
      topic: 'v3/app1/devices/dev5/down/push',
      payload: `{"downlinks":[],"n":${messageId}}`,
      qos,
      messageId,
      dup,
      retain: false,
    }) as const;

  it('QoS 2: PUBREC, a retransmission is not delivered twice, PUBREL → PUBCOMP', async () => {
    const c = await session();
    const before = t.ports.downlinks.length;
    c.send(push(7, 2));
    expect((await c.next('pubrec')).messageId).toBe(7);
    c.send(push(7, 2, true));
    expect((await c.next('pubrec')).messageId).toBe(7);
    c.send({ cmd: 'pubrel', messageId: 7 });
    expect((await c.next('pubcomp')).messageId).toBe(7);
    expect(t.ports.downlinks.length - before).toBe(1);
    // After PUBCOMP the identifier is free: the same ID is a new message.
    c.send(push(7, 2));
    expect((await c.next('pubrec')).messageId).toBe(7);
    expect(t.ports.downlinks.length - before).toBe(2);
    c.socket.destroy();
  });

  it('MQTT.js publishes with QoS 2', async () => {
    const client = await mqtt.connectAsync(t.url, {
      username: 'app1',
      password: KEYS.app1,
      reconnectPeriod: 0,
    });
    const before = t.ports.downlinks.length;
    await client.publishAsync('v3/app1/devices/dev5/down/replace', '{"downlinks":[]}', { qos: 2 });
    expect(t.ports.downlinks.length - before).toBe(1);
    await client.endAsync();
  });
});

describe('connection lifecycle and violations', () => {
  it('PINGREQ → PINGRESP; DISCONNECT closes', async () => {
    const c = await session();
    c.send({ cmd: 'pingreq' });
    await c.next('pingresp');
    c.send({ cmd: 'disconnect' });
    // The server closes its end [MQTT-3.14.4-1], and sends nothing more.
    expect(await closeReason(c)).toEqual({ closed: 'by server' });
    expect(c.packets.map((p) => p.cmd)).toEqual(['connack', 'pingresp']);
  });

  it.each([
    ['a first packet that is not CONNECT [MQTT-3.1.0-1]', (c: RawClient) => c.send({ cmd: 'pingreq' })],
    ['garbage', (c: RawClient) => c.socket.write(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff]))],
  ])('%s closes the connection', async (_, misbehave) => {
    const c = await rawClient(t.port);
    misbehave(c);
    // No CONNACK and no DISCONNECT: nothing was connected to answer (§4.13).
    expect(await closeReason(c)).toEqual({ closed: 'by server' });
    expect(c.packets).toEqual([]);
  });

  it.each(closedFor(0x82))(
    'MQTT %i: a second CONNECT closes the connection [MQTT-3.1.0-2]',
    async (version, reason) => {
      const c = await session(version);
      c.send({ ...connectPacket('app1', KEYS.app1, 'again'), protocolVersion: version });
      expect(await closeReason(c)).toEqual(reason); // 0x82 protocol error
    },
  );

  describe.each(closedFor(0x90))('MQTT %i', (version, reason) => {
    it.each([
      ['a wildcard', 'v3/app1/devices/+/down/push'],
      ['a multi-level wildcard', 'v3/app1/devices/#/down/push'],
      ['a NUL', 'v3/app1/devices/a\u0000b/down/push'],
    ])('a PUBLISH whose topic name holds %s closes the connection [MQTT-3.3.2-2]', async (_, topic) => {
      const before = t.ports.downlinks.length;
      const c = await session(version);
      c.send({ cmd: 'publish', topic, payload: '{}', qos: 1, messageId: 1, dup: false, retain: false });
      expect(await closeReason(c)).toEqual(reason); // 0x90 topic name invalid
      expect(c.packets.some((p) => p.cmd === 'puback')).toBe(false);
      expect(t.ports.downlinks.length).toBe(before);
    });
  });

  // A QoS 1 PUBLISH whose remaining length ends after its topic: no room for the packet
  // identifier. Sent in one write with a PINGREQ, whose bytes must not be read as the identifier.
  async function shortPublish(version: 4 | 5): Promise<RawClient> {
    const c = await session(version);
    const topic = 'v3/app1/devices/dev1/down/push';
    const header = Buffer.from([0x32, 2 + topic.length, 0, topic.length]);
    c.socket.write(Buffer.concat([header, Buffer.from(topic), Buffer.from([0xc0, 0x00])]));
    return c;
  }

  it('a packet shorter than its fields is malformed, whatever follows it on the wire', async () => {
    const c = await shortPublish(4);
    // MQTT 3.1.1 cannot say why; the MQTT 5 test below can.
    expect(await closeReason(c)).toEqual({ closed: 'by server' });
    expect(c.packets.map((p) => p.cmd)).toEqual(['connack']);
  });

  // mqtt-packet 9 reads the missing packet identifier as -1 instead of failing; before the
  // dispatcher checked it, the PUBLISH reached the downlink queue as a push with an empty body.
  it('MQTT 5: that packet gets DISCONNECT 0x81 malformed packet, and queues nothing', async () => {
    const before = t.ports.downlinks.length;
    const c = await shortPublish(5);
    expect(await closeReason(c)).toEqual({ closed: 'by server', disconnect: 0x81 });
    expect(c.packets.map((p) => p.cmd)).toEqual(['connack', 'disconnect']);
    expect(t.ports.downlinks.length).toBe(before);
  });

  it.each(closedFor(0x82))(
    'MQTT %i: a SUBSCRIBE without filters closes the connection [MQTT-3.8.3-3]',
    async (version, reason) => {
      const c = await session(version);
      // Packet identifier 1, then (MQTT 5) an empty property length, then no filters.
      c.socket.write(Buffer.from(version === 5 ? [0x82, 0x03, 0x00, 0x01, 0x00] : [0x82, 0x02, 0x00, 0x01]));
      expect(await closeReason(c)).toEqual(reason); // 0x82 protocol error
    },
  );

  it.each(closedFor(0x95))(
    'MQTT %i: a packet over the maximum size closes the connection, and only that one',
    async (version, reason) => {
      const other = await session();
      const c = await session(version);
      c.send({
        cmd: 'publish',
        topic: 'v3/app1/devices/dev1/down/push',
        payload: Buffer.alloc(8192),
        qos: 0,
        dup: false,
        retain: false,
      });
      expect(await closeReason(c)).toEqual(reason); // 0x95 packet too large
      other.send({ cmd: 'pingreq' });
      await other.next('pingresp');
      other.socket.destroy();
    },
  );

  it('fuzz: random bytes after CONNECT and before it never take the server down', async () => {
    const victims = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const c = i % 2 === 0 ? await session() : await rawClient(t.port);
        c.socket.write(randomBytes(64 + i * 50));
        // Either the server closed it or it is waiting for more bytes of a declared packet.
        return c;
      }),
    );
    const good = await session();
    expect(await subscribe(good, [['#', 0]])).toEqual([0]);
    t.ports.bus.publish(upMessage('app1', 'dev1', 'up'));
    expect(((await good.next('publish')) as IPublishPacket).topic).toBe('v3/app1/devices/dev1/up');
    for (const v of [...victims, good]) v.socket.destroy();
    expect(t.server.listening()).toBe(true);
  });
});
