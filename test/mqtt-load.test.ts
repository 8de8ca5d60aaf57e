/**
 * Bounded memory under load (issue 3): a subscriber that stops reading loses QoS 0 messages
 * (or, for QoS 1, its connection) without stalling anyone; a publish flood is throttled
 * without stalling anyone. Pass/fail never depends on timing, only on counts.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { generate, type IConnackPacket } from 'mqtt-packet';
import { afterEach, describe, expect, it } from 'vitest';
import { closeReason } from './helpers/closed';
import {
  connectPacket,
  KEYS,
  rawClient,
  startMqttServer,
  type TestServer,
  upMessage,
  waitFor,
} from './helpers/mqtt';

const OUTBOUND_LIMIT = 256 * 1024;
let t: TestServer | undefined;
const clients: MqttClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
  await t?.close();
});

async function readers(n: number, server: TestServer) {
  const counts = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    const c = await mqtt.connectAsync(server.url, {
      username: 'app1',
      password: KEYS.app1,
      reconnectPeriod: 0,
    });
    clients.push(c);
    c.on('message', () => {
      counts[i] = (counts[i] ?? 0) + 1;
    });
    await c.subscribeAsync('#');
  }
  return counts;
}

async function stalledSubscriber(server: TestServer, qos: 0 | 1) {
  const slow = await rawClient(server.port);
  slow.send(connectPacket('app1', KEYS.app1, `stalled-${qos}`));
  await slow.next('connack');
  slow.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: '#', qos }] });
  await slow.next('suback');
  // Stop reading: the kernel buffers fill, then the server-side buffer.
  slow.socket.pause();
  return slow;
}

/**
 * Publishes messages `from`…`to` (~2 KB each) in batches, letting the readers keep up between
 * batches, so only a reader that stopped can fall behind.
 */
async function publishAll(server: TestServer, counts: number[], to: number, from = 0) {
  const pad = 'x'.repeat(2000);
  const batch = 50;
  for (let sent = from; sent < to; ) {
    for (let i = 0; i < batch; i++, sent++) {
      const m = upMessage('app1', `dev${sent % 7}`, 'up', sent);
      server.ports.bus.publish({ ...m, payload: Buffer.concat([m.payload, Buffer.from(pad)]) });
    }
    await waitFor(() => counts.every((c) => c >= sent), 0);
  }
}

describe('slow subscriber', () => {
  it('QoS 0: it loses messages, the others get every one, server buffers stay bounded', async () => {
    t = await startMqttServer({ maxOutboundBytes: OUTBOUND_LIMIT });
    const counts = await readers(3, t);
    const slow = await stalledSubscriber(t, 0);
    const rssBefore = process.memoryUsage().rss;
    const total = 12_000; // ~24 MB: more than loopback socket buffers can hide
    await publishAll(t, counts, total);
    expect(counts).toEqual([total, total, total]);
    const stats = t.server.stats();
    expect(stats.dropped).toBeGreaterThan(0);
    expect(stats.outboundBytes).toBeLessThanOrEqual(OUTBOUND_LIMIT + 4096);
    // Coarse: an unbounded buffer for the stalled reader alone would be ~24 MB of it.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(150 * 1024 * 1024);
    expect(slow.isClosed()).toBe(false);
    slow.socket.destroy();
  });

  it('QoS 1: it is disconnected, the others get every message', async () => {
    t = await startMqttServer({ maxOutboundBytes: OUTBOUND_LIMIT });
    const counts = await readers(2, t);
    const slow = await stalledSubscriber(t, 1);
    const server = t;
    let total = 0;
    while (server.server.stats().slowDisconnects === 0) {
      await publishAll(server, counts, total + 1000, total);
      total += 1000;
    }
    // Read again so the paused socket notices the server closed it. MQTT 3.1.1 cannot say why
    // (and to an MQTT 5 client a DISCONNECT would only queue behind what it does not read).
    slow.socket.resume();
    expect(await closeReason(slow)).toEqual({ closed: 'by server' });
    expect(counts).toEqual([total, total]);
    expect(server.server.stats().outboundBytes).toBeLessThanOrEqual(OUTBOUND_LIMIT + 4096);
  });
});

describe('publish flood', () => {
  it('a client publishing as fast as it can is throttled and stalls nobody', async () => {
    t = await startMqttServer({ publishRate: { perSecond: 200, burst: 200 } });
    const server = t;
    const flooder = await rawClient(server.port);
    flooder.send(connectPacket('app1', KEYS.app1, 'flooder'));
    expect(((await flooder.next('connack')) as IConnackPacket).returnCode).toBe(0);
    const one = generate({
      cmd: 'publish',
      topic: 'v3/app1/devices/dev1/down/push',
      payload: '{"downlinks":[{"f_port":1,"frm_payload":"AA=="}]}',
      qos: 0,
      dup: false,
      retain: false,
    });
    const chunk = Buffer.concat(new Array(1000).fill(one));
    let flooding = true;
    let sent = 0;
    const flood = (async () => {
      while (flooding && !flooder.isClosed()) {
        sent += 1000;
        if (!flooder.socket.write(chunk)) {
          await new Promise<void>((resolve) => {
            const done = () => resolve();
            flooder.socket.once('drain', done);
            setTimeout(done, 20);
          });
        }
      }
    })();

    // While it floods, others connect, subscribe, and get every message.
    const counts = await readers(2, server);
    await publishAll(server, counts, 500);
    expect(counts).toEqual([500, 500]);
    flooding = false;
    await flood;

    expect(server.ports.downlinks.length).toBeGreaterThan(0);
    expect(server.ports.downlinks.length).toBeLessThan(sent);
    expect(server.server.listening()).toBe(true);
    flooder.socket.destroy();
  });
});
