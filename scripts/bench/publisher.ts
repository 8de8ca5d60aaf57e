/**
 * Load generator (child process): the one publisher of the mosquitto runs. It sends the same
 * bodies Mote's injector sends, stamped the same way, as QoS 0 PUBLISHes on one connection.
 */
import { type Socket, connect as tcpConnect } from 'node:net';
import { generate } from 'mqtt-packet';
import { pace } from './pace';
import { stamped, template } from './payload';
import { nowUs, serve } from './rpc';

let socket: Socket | undefined;
let seq = 0;
/** Per device: the body template and the PUBLISH header that goes before it. */
let devices: { template: ReturnType<typeof template>; head: Buffer }[] = [];

function head(topic: string, payloadLength: number): Buffer {
  const packet = generate({
    cmd: 'publish',
    topic,
    payload: Buffer.alloc(payloadLength),
    qos: 0,
    retain: false,
    dup: false,
  });
  return packet.subarray(0, packet.length - payloadLength);
}

serve({
  async open(args: { port: number; applicationId: string; deviceIds: string[] }) {
    devices = args.deviceIds.map((d) => {
      const t = template(args.applicationId, d);
      return { template: t, head: head(`v3/${args.applicationId}/devices/${d}/up`, t.bytes.length) };
    });
    socket = tcpConnect({ port: args.port, host: '127.0.0.1', noDelay: true });
    await new Promise<void>((resolve, reject) => {
      socket?.once('data', () => resolve());
      socket?.once('error', reject);
      socket?.write(
        generate({
          cmd: 'connect',
          protocolId: 'MQTT',
          protocolVersion: 4,
          clean: true,
          clientId: 'bench-pub',
          keepalive: 600,
        }),
      );
    });
  },
  async publish(args: { rate: number; seconds: number }) {
    const s = socket;
    if (!s) throw new Error('not open');
    return pace(args.rate, args.seconds, (count) => {
      s.cork();
      for (let i = 0; i < count; i++) {
        const device = devices[seq % devices.length];
        if (!device) throw new Error('open needs at least one device');
        s.write(device.head);
        s.write(stamped(device.template, nowUs(), seq++));
      }
      process.nextTick(() => s.uncork());
    });
  },
  close() {
    socket?.destroy();
  },
});
