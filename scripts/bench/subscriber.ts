/**
 * Load generator (child process): N raw MQTT subscribers on one broker. Counts every PUBLISH and
 * samples the latency of one in SAMPLE_EVERY from the stamp in its payload.
 */
import { type Socket, connect as tcpConnect } from 'node:net';
import { generate } from 'mqtt-packet';
import { Framer } from './framer';
import { Histogram } from './hist';
import { readStamp } from './payload';
import { nowUs, serve } from './rpc';

const PUBLISH = 3;
const CONNACK = 2;
const SUBACK = 9;
const SAMPLE_EVERY = 8;

export interface SubscribeArgs {
  port: number;
  count: number;
  clientPrefix: string;
  username?: string;
  password?: string;
  filter: string;
  /**
   * Subtracted from every latency before it is recorded: a delay known in advance (the merge
   * window), so the histogram's 2 % buckets resolve what comes past it (at 200 ms they are 4 ms).
   */
  offsetUs?: number;
}

export interface SubscriberReport {
  received: number;
  histogram: number[];
  connected: number;
}

const sockets: Socket[] = [];
const histogram = new Histogram();
let received = 0;

function open(args: SubscribeArgs, index: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    // `onread` into one reused buffer: no Buffer and no 'data' event per read. A broker that
    // writes each message on its own (mosquitto) means a read per message, and the readers must
    // not become the bottleneck on a small machine.
    const readBuffer = Buffer.allocUnsafe(256 * 1024);
    const socket = tcpConnect({
      port: args.port,
      host: '127.0.0.1',
      noDelay: true,
      onread: {
        buffer: readBuffer,
        callback: (n) => {
          framer.push(readBuffer.subarray(0, n));
          return true;
        },
      },
    });
    let subscribed = false;
    let n = 0;
    const framer = new Framer((type, chunk, start, end) => {
      if (type === PUBLISH) {
        received++;
        if (chunk && ++n % SAMPLE_EVERY === 0) {
          const sent = readStamp(chunk, start, end);
          if (!Number.isNaN(sent)) histogram.record(nowUs() - sent - (args.offsetUs ?? 0));
        }
      } else if (type === CONNACK) {
        if (chunk?.[start + 3] !== 0) reject(new Error(`CONNACK refused (${chunk?.[start + 3]})`));
        socket.write(
          generate({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: args.filter, qos: 0 }] }),
        );
      } else if (type === SUBACK && !subscribed) {
        subscribed = true;
        if (chunk?.[end - 1] === 0x80) reject(new Error(`SUBACK refused ${args.filter}`));
        resolve(socket);
      }
    });
    socket.once('error', reject);
    socket.once('connect', () =>
      socket.write(
        generate({
          cmd: 'connect',
          protocolId: 'MQTT',
          protocolVersion: 4,
          clean: true,
          clientId: `${args.clientPrefix}-${index}`,
          keepalive: 600,
          username: args.username,
          password: args.password === undefined ? undefined : Buffer.from(args.password),
        }),
      ),
    );
  });
}

serve({
  async subscribe(args: SubscribeArgs) {
    for (let i = 0; i < args.count; i++) sockets.push(await open(args, i));
    return sockets.length;
  },
  reset() {
    received = 0;
    histogram.reset();
  },
  report(): SubscriberReport {
    return { received, histogram: histogram.counts, connected: sockets.filter((s) => !s.destroyed).length };
  },
  close() {
    for (const s of sockets.splice(0)) s.destroy();
  },
});
