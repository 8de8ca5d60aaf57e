/**
 * Load generator (child process) for the downlink path: several connections publish
 * `down/push` (QoS 0, each under the per-connection publish rate limit) and one connection
 * subscribed to `down/queued` times the answers by the send time in a client correlation ID, and
 * counts `down/failed` (a refused push is an answer too, not a loss).
 *
 * The receiver needs every answer whole, so it frames with the server's own framer, which joins
 * a packet split across reads; the subscribers' framer (./framer.ts) only counts those. With the
 * counting framer, a burst of answers larger than one read lost the ones on its edges (1–7 of
 * 50 000 at 5 000/s, seen as unanswered pushes).
 */
import { type Socket, connect as tcpConnect } from 'node:net';
import { generate } from 'mqtt-packet';
import { Framer } from '../../server/mqtt/framer';
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
const FAILED = Buffer.from('/down/failed');
const histogram = new Histogram();
let received = 0;
let failed = 0;
/** The first `down/failed` body of a run, to say why. */
let firstFailure: string | undefined;
let pushers: Socket[] = [];
let receiver: Socket | undefined;
let devices: string[] = [];
let app = '';

function open(args: DownlinkArgs, clientId: string, filters?: string[]): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ port: args.port, host: '127.0.0.1', noDelay: true });
    const framer = new Framer(16 * 1024 * 1024, (packet) => {
      const type = packet[0]! >> 4;
      if (type === 2) {
        if (packet[3] !== 0) reject(new Error('CONNACK refused'));
        else if (!filters) resolve(socket);
        else
          socket.write(
            generate({
              cmd: 'subscribe',
              messageId: 1,
              subscriptions: filters.map((topic) => ({ topic, qos: 0 as const })),
            }),
          );
      } else if (type === 9) {
        resolve(socket);
      } else if (type === 3) {
        const at = packet.indexOf(MARKER);
        if (at < 0) return true;
        // The topic comes first in a PUBLISH, the body with the marker after it.
        if (packet.subarray(0, at).includes(FAILED)) {
          failed++;
          firstFailure ??= packet.toString('utf8', packet.indexOf(0x7b));
          return true;
        }
        received++;
        const from = at + MARKER.length;
        histogram.record(nowUs() - Number(packet.toString('latin1', from, packet.indexOf(0x3a, from))));
      }
      return true;
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
    const answers = [`v3/${app}/devices/+/${args.answer}`];
    if (args.answer === 'down/queued') answers.push(`v3/${app}/devices/+/down/failed`);
    receiver = await open(args, 'bench-dl-rx', answers);
    pushers = await Promise.all(
      Array.from({ length: args.pushers }, (_, i) => open(args, `bench-dl-tx-${i}`)),
    );
  },
  async run(args: { rate: number; seconds: number }) {
    received = 0;
    failed = 0;
    firstFailure = undefined;
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
    for (let waited = 0; received + failed < sent.sent && waited < 3000; waited += 100)
      await new Promise((r) => setTimeout(r, 100));
    return {
      sent: sent.sent,
      seconds: sent.seconds,
      received,
      failed,
      firstFailure,
      histogram: histogram.counts,
    };
  },
  close() {
    for (const s of [...pushers, ...(receiver ? [receiver] : [])]) s.destroy();
  },
});
