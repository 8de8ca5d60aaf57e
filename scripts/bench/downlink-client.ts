/**
 * Load generator (child process) for the downlink path: several connections publish
 * `down/push` (QoS 0, each under the per-connection publish rate limit) and one connection
 * subscribed to `down/queued` times the answers by the send time in a client correlation ID.
 */
import { type Socket, connect as tcpConnect } from 'node:net';
import { generate } from 'mqtt-packet';
import { Framer } from './framer';
import { Histogram } from './hist';
import { pace } from './pace';
import { nowUs, serve } from './rpc';

export interface DownlinkArgs {
  port: number;
  /** Absent for an anonymous broker (the mosquitto reference). */
  username?: string;
  password?: string;
  /** What the timing subscriber listens to: Mote's `down/queued`, or the pushes themselves. */
  answer: 'down/queued' | 'down/push';
  applicationId: string;
  deviceIds: string[];
  pushers: number;
}

const MARKER = Buffer.from('"bench:');
const histogram = new Histogram();
let received = 0;
let pushers: Socket[] = [];
let receiver: Socket | undefined;
let devices: string[] = [];
let app = '';

function open(args: DownlinkArgs, clientId: string, filter?: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ port: args.port, host: '127.0.0.1', noDelay: true });
    const framer = new Framer((type, chunk, start, end) => {
      if (type === 2) {
        if (chunk?.[start + 3] !== 0) reject(new Error('CONNACK refused'));
        else if (!filter) resolve(socket);
        else
          socket.write(
            generate({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: filter, qos: 0 }] }),
          );
      } else if (type === 9) {
        resolve(socket);
      } else if (type === 3 && chunk) {
        const at = chunk.indexOf(MARKER, start);
        if (at < 0 || at >= end) return;
        received++;
        const from = at + MARKER.length;
        histogram.record(nowUs() - Number(chunk.toString('latin1', from, chunk.indexOf(0x3a, from))));
      }
    });
    socket.on('data', (c) => framer.push(c));
    socket.once('error', reject);
    socket.once('connect', () =>
      socket.write(
        generate({
          cmd: 'connect',
          protocolId: 'MQTT',
          protocolVersion: 4,
          clean: true,
          clientId,
          keepalive: 300,
          username: args.username,
          password: args.password === undefined ? undefined : Buffer.from(args.password),
        }),
      ),
    );
  });
}

serve({
  async open(args: DownlinkArgs) {
    devices = args.deviceIds;
    app = args.applicationId;
    receiver = await open(args, 'bench-dl-rx', `v3/${app}/devices/+/${args.answer}`);
    pushers = await Promise.all(
      Array.from({ length: args.pushers }, (_, i) => open(args, `bench-dl-tx-${i}`)),
    );
  },
  async run(args: { rate: number; seconds: number }) {
    received = 0;
    histogram.reset();
    let n = 0;
    const sent = await pace(args.rate, args.seconds, (count) => {
      for (let i = 0; i < count; i++, n++) {
        const body = `{"downlinks":[{"f_port":15,"frm_payload":"vu8=","priority":"NORMAL","correlation_ids":["bench:${Math.round(nowUs())}:${n}"]}]}`;
        const device = devices[n % devices.length];
        const pusher = pushers[n % pushers.length];
        if (device === undefined || pusher === undefined)
          throw new Error('run needs open with devices and pushers');
        const topic = `v3/${app}/devices/${device}/down/push`;
        pusher.write(generate({ cmd: 'publish', topic, payload: body, qos: 0, retain: false, dup: false }));
      }
    });
    for (let waited = 0; received < sent.sent && waited < 3000; waited += 100)
      await new Promise((r) => setTimeout(r, 100));
    return { sent: sent.sent, seconds: sent.seconds, received, histogram: histogram.counts };
  },
  close() {
    for (const s of [...pushers, ...(receiver ? [receiver] : [])]) s.destroy();
  },
});
