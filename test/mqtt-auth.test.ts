/**
 * CONNECT refusals, subscription scoping and application isolation, client-ID takeover,
 * revocation and expiry (docs/behaviour.md §2–§3), with raw MQTT packets so every code is visible.
 */
import {
  generate,
  type IConnackPacket,
  type IPublishPacket,
  type ISubackPacket,
  type Packet,
} from 'mqtt-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at } from './helpers/at';
import { closeReason, type Ending } from './helpers/closed';
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
  t = await startMqttServer();
});
afterAll(() => t.close());

async function connected(
  username: string,
  password: string,
  clientId = 'raw',
  protocolVersion: 4 | 5 = 4,
): Promise<RawClient> {
  const c = await rawClient(t.port, protocolVersion);
  c.send({ ...connectPacket(username, password, clientId), protocolVersion });
  const connack = (await c.next('connack')) as IConnackPacket;
  // MQTT 5 calls the CONNACK's return code a reason code.
  expect(connack.returnCode ?? connack.reasonCode).toBe(0);
  return c;
}

/** Sends a CONNECT that is to be refused: what the client hears, and that the server then closes. */
async function refusal(packet: Packet, port = t.port): Promise<Ending> {
  const c = await rawClient(port);
  c.send(packet);
  return closeReason(c);
}

async function subscribe(c: RawClient, topic: string, qos: 0 | 1 = 0, messageId = 1): Promise<number[]> {
  c.send({ cmd: 'subscribe', messageId, subscriptions: [{ topic, qos }] });
  const suback = (await c.next('suback')) as ISubackPacket;
  expect(suback.messageId).toBe(messageId);
  return suback.granted as number[];
}

describe('CONNECT refusals', () => {
  it.each([
    ['wrong password', 'app1', 'NNSXS.NOPE.NOPE'],
    ['another application’s key', 'app1', KEYS.app2],
    ['an expired key', 'app1', KEYS.app1Expired],
    ['a malformed username', 'App 1!', KEYS.app1],
    ['an empty username', '', KEYS.app1],
  ])('%s → 0x05, then close', async (_, username, password) => {
    expect(await refusal(connectPacket(username, password))).toEqual({ closed: 'by server', connack: 5 });
  });

  it('an unsupported protocol level → 0x01', async () => {
    const c = await rawClient(t.port);
    // CONNECT, protocol "MQTT" level 6, clean session, keepalive 60, client ID "x".
    c.socket.write(Buffer.from([0x10, 13, 0, 4, 0x4d, 0x51, 0x54, 0x54, 6, 0x02, 0, 60, 0, 1, 0x78]));
    const connack = (await c.next('connack')) as IConnackPacket;
    expect(connack.returnCode).toBe(1);
    expect(await closeReason(c)).toEqual({ closed: 'by server', connack: 1 });
  });

  it('an empty client ID without clean session → 0x02; with clean session it is assigned', async () => {
    // mqtt-packet will not generate this CONNECT, so clear the clean-session flag by hand.
    const bytes = generate(connectPacket('app1', KEYS.app1, ''));
    const flagsAt = 2 + 6 + 1; // fixed header (1-byte length), "MQTT", level
    bytes[flagsAt] = at(bytes, flagsAt) & ~0x02;
    const raw = await rawClient(t.port);
    raw.socket.write(bytes);
    expect(((await raw.next('connack')) as IConnackPacket).returnCode).toBe(2);
    expect(await closeReason(raw)).toEqual({ closed: 'by server', connack: 2 });
    const c = await connected('app1', KEYS.app1, '');
    c.socket.destroy();
  });

  it('connect rate limit per IP → 0x03', async () => {
    const limited = await startMqttServer({
      exemptLoopback: false,
      connectRate: { perSecond: 0.001, burst: 1 },
    });
    try {
      const first = await rawClient(limited.port);
      first.send(connectPacket('app1', KEYS.app1, 'first'));
      expect(((await first.next('connack')) as IConnackPacket).returnCode).toBe(0);
      expect(await refusal(connectPacket('app1', KEYS.app1, 'second'), limited.port)).toEqual({
        closed: 'by server',
        connack: 3,
      });
      first.socket.destroy();
    } finally {
      await limited.close();
    }
  });

  it('past the failure limit a wrong key waits for its 0x05, unless its IP already has its share waiting', async () => {
    const slow = await startMqttServer({
      authFailures: { maxFailures: 1, windowMs: 60_000, firstDelayMs: 1_000, maxDelayMs: 1_000 },
      maxHeldRefusalsPerIp: 1,
    });
    const timed = async (password: string) => {
      const started = Date.now();
      const ending = await refusal(connectPacket('app1', password), slow.port);
      return { ending, ms: Date.now() - started };
    };
    try {
      const first = await timed('NNSXS.NOPE.NOPE');
      expect(first.ms).toBeLessThan(1_000);
      const held = timed('NNSXS.NOPE.NOPE');
      await waitFor(() => slow.server.stats().throttled === 1);
      // One is waiting: the next is refused at once rather than hold another socket.
      const prompt = await timed('NNSXS.NOPE.NOPE');
      expect(prompt.ms).toBeLessThan(1_000);
      // The right key is never held back.
      const right = await rawClient(slow.port);
      right.send(connectPacket('app1', KEYS.app1, 'right'));
      expect(((await right.next('connack')) as IConnackPacket).returnCode).toBe(0);
      right.socket.destroy();
      const late = await held;
      expect(late.ms).toBeGreaterThanOrEqual(1_000);
      for (const r of [first, prompt, late]) expect(r.ending).toEqual({ closed: 'by server', connack: 5 });
    } finally {
      await slow.close();
    }
  });

  it('too many connections → 0x03', async () => {
    const small = await startMqttServer({ maxConnections: 1 });
    try {
      const first = await rawClient(small.port);
      first.send(connectPacket('app1', KEYS.app1, 'first'));
      expect(((await first.next('connack')) as IConnackPacket).returnCode).toBe(0);
      expect(await refusal(connectPacket('app1', KEYS.app1, 'second'), small.port)).toEqual({
        closed: 'by server',
        connack: 3,
      });
      first.socket.destroy();
    } finally {
      await small.close();
    }
  });
});

describe('subscription scoping (docs/behaviour.md §3)', () => {
  it('v3/app2/# → 0x80, the connection stays open, and nothing of app2 ever arrives', async () => {
    const c = await connected('app1', KEYS.app1, 'scoped');
    expect(await subscribe(c, 'v3/app2/#', 1)).toEqual([0x80]);
    expect(await subscribe(c, '$SYS/#', 0, 2)).toEqual([0x80]);
    expect(await subscribe(c, '+/#', 0, 3)).toEqual([0x80]);
    expect(await subscribe(c, 'v3/+/devices/+/up', 0, 4)).toEqual([0]);
    t.ports.bus.publish(upMessage('app2', 'dev1', 'up'));
    t.ports.bus.publish(upMessage('app1', 'dev1', 'up'));
    const publish = (await c.next('publish')) as IPublishPacket;
    // The bus delivers in order: had app2's message been let through, it would have come first.
    expect(publish.topic).toBe('v3/app1/devices/dev1/up');
    expect(c.packets.filter((p) => p.cmd === 'publish')).toHaveLength(1);
    c.socket.destroy();
  });

  it('a key without TRAFFIC_READ gets 0x80 even for #', async () => {
    const c = await connected('app1', KEYS.app1InfoOnly, 'info-only');
    expect(await subscribe(c, '#')).toEqual([0x80]);
    c.send({ cmd: 'pingreq' });
    await c.next('pingresp');
    c.socket.destroy();
  });

  it('several filters in one SUBSCRIBE get one code each, in order', async () => {
    const c = await connected('app1', KEYS.app1, 'multi');
    c.send({
      cmd: 'subscribe',
      messageId: 9,
      subscriptions: [
        { topic: '#', qos: 0 },
        { topic: 'v3/app2/#', qos: 1 },
        { topic: 'v3/app1/devices/+/down/#', qos: 2 },
      ],
    });
    const suback = (await c.next('suback')) as ISubackPacket;
    expect(suback.granted).toEqual([0, 0x80, 1]);
    c.socket.destroy();
  });
});

describe('inbound publishes', () => {
  it('a push to app2’s topic never reaches app2; the connection stays and the PUBACK still comes', async () => {
    const c = await connected('app1', KEYS.app1, 'pusher');
    const before = t.ports.downlinks.length;
    c.send({
      cmd: 'publish',
      topic: 'v3/app2/devices/dev1/down/push',
      payload: '{}',
      qos: 1,
      messageId: 1,
      dup: false,
      retain: false,
    });
    c.send({
      cmd: 'publish',
      topic: 'v3/app1/devices/dev1/up',
      payload: '{}',
      qos: 1,
      messageId: 2,
      dup: false,
      retain: false,
    });
    c.send({
      cmd: 'publish',
      topic: 'v3/app1/devices/dev1/down/push',
      payload: '{"downlinks":[]}',
      qos: 1,
      messageId: 3,
      dup: false,
      retain: false,
    });
    const acks = [await c.next('puback'), await c.next('puback'), await c.next('puback')];
    // [MQTT-4.6.0-2] PUBACKs in PUBLISH order.
    expect(acks.map((a) => a.messageId)).toEqual([1, 2, 3]);
    expect(t.ports.downlinks.slice(before)).toEqual([
      { applicationId: 'app1', deviceId: 'dev1', operation: 'push', body: '{"downlinks":[]}' },
    ]);
    c.socket.destroy();
  });

  it('a key without TRAFFIC_DOWN_WRITE cannot push', async () => {
    const c = await connected('app1', KEYS.app1ReadOnly, 'reader');
    const before = t.ports.downlinks.length;
    c.send({
      cmd: 'publish',
      topic: 'v3/app1/devices/dev1/down/push',
      payload: '{}',
      qos: 1,
      messageId: 5,
      dup: false,
      retain: false,
    });
    expect((await c.next('puback')).messageId).toBe(5);
    expect(t.ports.downlinks.length).toBe(before);
    c.socket.destroy();
  });
});

describe('sessions', () => {
  it('the same client ID in the same application takes the session over [MQTT-3.1.4-2]', async () => {
    const first = await connected('app1', KEYS.app1, 'same-id');
    const second = await connected('app1', KEYS.app1, 'same-id');
    // MQTT 3.1.1 cannot say why; MQTT 5's DISCONNECT 0x8E is asserted in mqtt-v5.test.ts.
    expect(await closeReason(first)).toEqual({ closed: 'by server' });
    second.send({ cmd: 'pingreq' });
    await second.next('pingresp');
    second.socket.destroy();
  });

  it('the same client ID in two applications does not', async () => {
    const a = await connected('app1', KEYS.app1, 'shared-id');
    const b = await connected('app2', KEYS.app2, 'shared-id');
    a.send({ cmd: 'pingreq' });
    await a.next('pingresp');
    expect(a.isClosed()).toBe(false);
    a.socket.destroy();
    b.socket.destroy();
  });

  it('revoking a credential closes its sessions and no others', async () => {
    const doomedKey = 'NNSXS.DOOMED.SECRET';
    t.ports.grant(doomedKey, {
      applicationId: 'app1',
      credentialId: 'DOOMED',
      rights: ['RIGHT_APPLICATION_ALL'],
    });
    const doomed = await connected('app1', doomedKey, 'doomed');
    const other = await connected('app1', KEYS.app1, 'survivor');
    t.ports.revoke('DOOMED');
    // MQTT 5's DISCONNECT 0x87 is asserted in mqtt-v5.test.ts.
    expect(await closeReason(doomed)).toEqual({ closed: 'by server' });
    other.send({ cmd: 'pingreq' });
    await other.next('pingresp');
    other.socket.destroy();
    expect(await refusal(connectPacket('app1', doomedKey, 'again'))).toEqual({
      closed: 'by server',
      connack: 5,
    });
  });

  // What only the server's clock can cause, it must not do early: each of these checks that the
  // close came no sooner than its cause. A lower bound, so a slow machine cannot fail it.
  it.each([
    [4, { closed: 'by server' }],
    [5, { closed: 'by server', disconnect: 0x87 }], // not authorized
  ] as const)('MQTT %i: a session ends when its credential expires', async (version, reason) => {
    const key = `NNSXS.SHORTLIVED${version}.SECRET`;
    const expiresAt = Date.now() + 1000;
    t.ports.grant(key, {
      applicationId: 'app1',
      credentialId: `SHORTLIVED${version}`,
      rights: ['RIGHT_APPLICATION_TRAFFIC_READ'],
      expiresAt: new Date(expiresAt),
    });
    const c = await connected('app1', key, `short-${version}`, version);
    expect(await closeReason(c)).toEqual(reason);
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt);
  });

  it('a raw socket that never sends CONNECT is closed after the connect timeout', async () => {
    const quick = await startMqttServer({ connectTimeoutMs: 100 });
    try {
      const opened = Date.now();
      const c = await rawClient(quick.port);
      // Closed without a CONNACK: there was no CONNECT to answer.
      expect(await closeReason(c)).toEqual({ closed: 'by server' });
      expect(c.packets).toEqual([]);
      expect(Date.now() - opened).toBeGreaterThanOrEqual(100);
    } finally {
      await quick.close();
    }
  });

  it.each([
    [4, { closed: 'by server' }],
    [5, { closed: 'by server', disconnect: 0x8d }], // keep alive timeout
  ] as const)(
    'MQTT %i: nothing received for 1.5 × keepalive closes the session [MQTT-3.1.2-24]',
    async (version, reason) => {
      const c = await rawClient(t.port, version);
      const sent = Date.now();
      c.send({ ...connectPacket('app1', KEYS.app1, `sleepy-${version}`, 1), protocolVersion: version });
      const connack = (await c.next('connack')) as IConnackPacket;
      expect(connack.returnCode ?? connack.reasonCode).toBe(0);
      expect(await closeReason(c)).toEqual(reason);
      expect(Date.now() - sent).toBeGreaterThanOrEqual(1500);
    },
  );
});

describe('stats', () => {
  it('counts refusals and sessions', async () => {
    await waitFor(() => t.server.stats().sessions === 0);
    const s = t.server.stats();
    expect(s.refused).toBeGreaterThan(0);
    expect(s.applications).toBe(0);
  });
});
