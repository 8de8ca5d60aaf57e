/**
 * A connection's pushes to different devices are stored together (server/mqtt/downlinkPipeline.ts);
 * what a client sees must not change: 300 QoS 1 pushes and replaces over 10 devices, a refused
 * publish and a PINGREQ among them, all in one write, each decoded by a formatter that takes
 * its time. PUBACKs come back in PUBLISH order [MQTT-4.6.0-2], the PINGRESP after the PUBACKs
 * before it, and each device's queue is exactly what applying the operations in order gives.
 */
import { generate, type IPublishPacket, type Packet } from 'mqtt-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, appWithKey, type Caller, call } from './helpers/api';
import { type RunningMote, removeDataDir, startMote } from './helpers/mote';
import { connectPacket, rawClient } from './helpers/mqtt';

const SLOW_DECODER = `function decodeDownlink(input) {
  var n = (input.bytes[0] << 8) | input.bytes[1];
  var until = Date.now() + (n % 4);
  while (Date.now() < until) {}
  return { data: { n: n } };
}`;

let mote: RunningMote;
let key: string;
let admin: Caller;
const DEVICES = Array.from({ length: 10 }, (_, i) => `dev-${i}`);

beforeAll(async () => {
  mote = await startMote({ env: { MOTE_QUEUE_CAPACITY: '1000' } });
  key = await appWithKey(mote, 'pipe', ['RIGHT_APPLICATION_ALL']);
  admin = await adminSession(mote);
  for (const [i, device_id] of DEVICES.entries()) {
    const created = await call(mote, admin, 'POST', '/api/v3/applications/pipe/devices', {
      end_device: {
        ids: {
          device_id,
          dev_eui: `70B3D57ED00000${i.toString(16).padStart(2, '0')}`,
          join_eui: '0000000000000000',
        },
      },
    });
    expect(created.status).toBe(200);
  }
  // Every push is decoded for display by a formatter that takes its time, so operations overlap
  // for real. It does not make a device's operations finish out of order (without the pipeline's
  // per-device chain this test still passed), so that guard is checked in
  // server/mqtt/downlinkPipeline.test.ts; here, the end-to-end result a client sees.
  const link = await call(mote, admin, 'PUT', '/api/v3/as/applications/pipe/link', {
    default_formatters: { down_formatter: 'FORMATTER_JAVASCRIPT', down_formatter_parameter: SLOW_DECODER },
  });
  expect(link.status).toBe(200);
});
afterAll(async () => {
  await mote?.stop();
  if (mote) removeDataDir(mote);
});

/** The n-th operation's item: its number in two bytes, so a queue reads back as numbers. */
const item = (n: number) => ({
  f_port: 1 + (n % 200),
  frm_payload: Buffer.from([n >> 8, n & 0xff]).toString('base64'),
});
const numberOf = (d: { frm_payload: string }) => Buffer.from(d.frm_payload, 'base64').readUInt16BE(0);

describe('pushes of one connection stored together', () => {
  it('acknowledge in order, and leave every queue as the operations in order give', async () => {
    const c = await rawClient(mote.mqttPort);
    c.send(connectPacket('pipe', key, 'pipeline'));
    expect(await c.next('connack')).toMatchObject({ returnCode: 0 });

    const expected = new Map<string, number[]>(DEVICES.map((d) => [d, []]));
    const packets: Packet[] = [];
    const order: string[] = [];
    for (let n = 0; n < 300; n++) {
      const device = DEVICES[(n * 7) % DEVICES.length] ?? 'dev-0';
      const replace = n % 13 === 5;
      const publish: IPublishPacket = {
        cmd: 'publish',
        qos: 1,
        messageId: n + 1,
        dup: false,
        retain: false,
        topic: `v3/pipe/devices/${device}/down/${replace ? 'replace' : 'push'}`,
        payload: JSON.stringify({ downlinks: [item(n)] }),
      };
      if (n === 150) {
        // Another application's device: refused, but still acknowledged, in its place.
        packets.push({ ...publish, topic: 'v3/other/devices/dev-0/down/push' });
        order.push(`puback ${n + 1}`);
        continue;
      }
      packets.push(publish);
      order.push(`puback ${n + 1}`);
      expected.set(device, replace ? [n] : [...(expected.get(device) ?? []), n]);
      if (n === 200) {
        packets.push({ cmd: 'pingreq' });
        order.push('pingresp');
      }
    }
    c.socket.write(Buffer.concat(packets.map((p) => generate(p))));

    while (c.packets.filter((p) => p.cmd === 'puback').length < 300) {
      if (c.isClosed()) throw new Error('closed before every PUBACK');
      await new Promise((r) => setTimeout(r, 10));
    }
    const answers = c.packets.slice(1).map((p) => (p.cmd === 'puback' ? `puback ${p.messageId}` : p.cmd));
    expect(answers).toEqual(order);

    for (const device of DEVICES) {
      const queue = await call<{ downlinks: { frm_payload: string }[] }>(
        mote,
        admin,
        'GET',
        `/api/v3/as/applications/pipe/devices/${device}/down`,
      );
      expect(queue.body.downlinks.map(numberOf), device).toEqual(expected.get(device));
    }
    c.socket.destroy();
  });
});
