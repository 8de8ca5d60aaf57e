/**
 * Load generator (child process): opens many MQTT connections with API-key CONNECTs over raw
 * sockets (no MQTT.js per connection), a bounded number in flight at once, and keeps them idle.
 */
import { type Socket, connect as tcpConnect } from 'node:net';
import { generate } from 'mqtt-packet';
import { serve } from './rpc';

export interface StormArgs {
  port: number;
  /** Absent for an anonymous broker (the mosquitto reference). */
  username?: string;
  password?: string;
  count: number;
  prefix: string;
  inFlight: number;
}

export interface StormResult {
  connected: number;
  refused: number;
  failed: number;
}

const sockets: Socket[] = [];

function connectOne(args: StormArgs, i: number): Promise<'connected' | 'refused' | 'failed'> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ port: args.port, host: '127.0.0.1', noDelay: true });
    sockets.push(socket);
    socket.once('error', () => resolve('failed'));
    socket.once('close', () => resolve('failed'));
    socket.once('data', (d) => resolve(d[0] === 0x20 && d[3] === 0 ? 'connected' : 'refused'));
    socket.once('connect', () =>
      socket.write(
        generate({
          cmd: 'connect',
          protocolId: 'MQTT',
          protocolVersion: 4,
          clean: true,
          clientId: `${args.prefix}-${i}`,
          keepalive: 300,
          username: args.username,
          password: args.password === undefined ? undefined : Buffer.from(args.password),
        }),
      ),
    );
  });
}

serve({
  async open(args: StormArgs): Promise<StormResult> {
    const result: StormResult = { connected: 0, refused: 0, failed: 0 };
    let next = 0;
    const lane = async () => {
      while (next < args.count) result[await connectOne(args, next++)]++;
    };
    await Promise.all(Array.from({ length: args.inFlight }, lane));
    return result;
  },
  close() {
    for (const s of sockets.splice(0)) s.destroy();
  },
});
