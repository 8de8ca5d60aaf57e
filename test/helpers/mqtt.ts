/**
 * Test helpers for the MQTT frontend: an in-memory double of MqttPorts over the real local bus,
 * a server on a free port, bus messages, raw-socket clients and Debian's mosquitto clients.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Socket, connect as tcpConnect } from 'node:net';
import { parser as createParser, generate, type IConnectPacket, type Packet } from 'mqtt-packet';
import type { Right } from '../../lib/rights';
import type { DownlinkOperation } from '../../lib/topics';
import { deviceTopic } from '../../lib/topics';
import type { MqttPrincipal } from '../../server/auth/principal';
import { type BusMessage, createLocalBus, type EventBus, type UpEvent } from '../../server/bus/bus';
import type { MqttPorts } from '../../server/mqtt/ports';
import { createMqttServer, type MqttServer, type MqttServerOptions } from '../../server/mqtt/server';

export const KEYS = {
  app1: 'NNSXS.APP1ALLTRAFFIC.SECRET1',
  app1ReadOnly: 'NNSXS.APP1READONLY.SECRET2',
  app1InfoOnly: 'NNSXS.APP1INFOONLY.SECRET3',
  app1Expired: 'NNSXS.APP1EXPIRED.SECRET4',
  app2: 'NNSXS.APP2ALLTRAFFIC.SECRET5',
} as const;

export interface ReceivedDownlink {
  applicationId: string;
  deviceId: string;
  operation: DownlinkOperation;
  body: string;
}

export interface FakePorts extends MqttPorts {
  bus: EventBus;
  downlinks: ReceivedDownlink[];
  revoke(credentialId: string): void;
  /** Add or replace a credential (password → principal). */
  grant(password: string, principal: MqttPrincipal): void;
}

const principal = (applicationId: string, credentialId: string, rights: Right[], expiresAt?: Date) => ({
  applicationId,
  credentialId,
  rights,
  expiresAt,
});

/**
 * `echoQueued` stands in for the AS core: each received push/replace is answered with a
 * `down/queued` on the bus, as the real queue does for an accepted item.
 */
export function fakePorts({ echoQueued = false } = {}): FakePorts {
  const credentials = new Map<string, MqttPrincipal>([
    [KEYS.app1, principal('app1', 'APP1ALLTRAFFIC', ['RIGHT_APPLICATION_LINK'])],
    [KEYS.app1ReadOnly, principal('app1', 'APP1READONLY', ['RIGHT_APPLICATION_TRAFFIC_READ'])],
    [KEYS.app1InfoOnly, principal('app1', 'APP1INFOONLY', ['RIGHT_APPLICATION_INFO'])],
    [
      KEYS.app1Expired,
      principal('app1', 'APP1EXPIRED', ['RIGHT_APPLICATION_ALL'], new Date(Date.now() - 1000)),
    ],
    [KEYS.app2, principal('app2', 'APP2ALLTRAFFIC', ['RIGHT_APPLICATION_ALL'])],
  ]);
  const revocationListeners = new Set<(id: string) => void>();
  const downlinks: ReceivedDownlink[] = [];
  const bus = createLocalBus();
  return {
    bus,
    downlinks,
    async authenticate(username, password) {
      const p = credentials.get(password);
      // The real port checks the key belongs to the username's application; so does the double.
      return p && p.applicationId === username ? p : undefined;
    },
    async receiveDownlinks(applicationId, deviceId, operation, payload) {
      downlinks.push({ applicationId, deviceId, operation, body: payload.toString('utf8') });
      if (echoQueued) bus.publish(upMessage(applicationId, deviceId, 'down/queued'));
      return 'stored' as const;
    },
    onCredentialRevoked(listener) {
      revocationListeners.add(listener);
      return () => revocationListeners.delete(listener);
    },
    revoke(credentialId) {
      for (const [password, p] of credentials)
        if (p.credentialId === credentialId) credentials.delete(password);
      for (const listener of revocationListeners) listener(credentialId);
    },
    grant(password, p) {
      credentials.set(password, p);
    },
  };
}

export interface TestServer {
  server: MqttServer;
  ports: FakePorts;
  port: number;
  url: string;
  close(): Promise<void>;
}

export async function startMqttServer(
  options: Partial<MqttServerOptions> = {},
  portOptions: { echoQueued?: boolean } = {},
): Promise<TestServer> {
  const ports = fakePorts(portOptions);
  const server = createMqttServer(ports, options);
  const port = await server.listenTcp(0, '127.0.0.1');
  return { server, ports, port, url: `mqtt://127.0.0.1:${port}`, close: () => server.close() };
}

export function upMessage(applicationId: string, deviceId: string, event: UpEvent = 'up', n = 0): BusMessage {
  const body = {
    end_device_ids: { device_id: deviceId, application_ids: { application_id: applicationId } },
    n,
  };
  return {
    applicationId,
    deviceId,
    event,
    topic: deviceTopic(applicationId, deviceId, event),
    payload: Buffer.from(JSON.stringify(body)),
    type: 'uplink_message',
    receivedAt: new Date().toISOString(),
    correlationIds: [],
  };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}

/** Polls until `check` holds; the test's own timeout bounds it, so no timing is asserted. */
export async function waitFor(check: () => boolean, intervalMs = 5): Promise<void> {
  while (!check()) await new Promise((r) => (intervalMs === 0 ? setImmediate(r) : setTimeout(r, intervalMs)));
}

/** A raw MQTT client on a plain socket: sends packets, collects what the server sends. */
export interface RawClient {
  socket: Socket;
  packets: Packet[];
  closed: Promise<void>;
  isClosed(): boolean;
  send(packet: Packet): void;
  next(cmd: Packet['cmd']): Promise<Packet>;
}

/** `localAddress` picks the client's source IP (any of 127.0.0.0/8 reaches a loopback server). */
export async function rawClient(
  port: number,
  protocolVersion: 3 | 4 | 5 = 4,
  localAddress?: string,
): Promise<RawClient> {
  const socket = tcpConnect({ port, host: '127.0.0.1', localAddress });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.on('error', () => {});
  const packets: Packet[] = [];
  const p = createParser({ protocolVersion });
  p.on('packet', (packet: Packet) => packets.push(packet));
  socket.on('data', (chunk) => p.parse(chunk));
  let closed = false;
  const closedPromise = new Promise<void>((resolve) =>
    socket.once('close', () => {
      closed = true;
      resolve();
    }),
  );
  let seen = 0;
  return {
    socket,
    packets,
    closed: closedPromise,
    isClosed: () => closed,
    send: (packet) => socket.write(generate(packet, { protocolVersion })),
    async next(cmd) {
      for (;;) {
        for (const packet of packets.slice(seen)) {
          seen++;
          if (packet.cmd === cmd) return packet;
        }
        if (closed) throw new Error(`connection closed while waiting for ${cmd}`);
        await new Promise((r) => setTimeout(r, 5));
      }
    },
  };
}

export const connectPacket = (
  username: string,
  password: string,
  clientId = 'raw',
  keepalive = 60,
): IConnectPacket => ({
  cmd: 'connect',
  protocolId: 'MQTT',
  protocolVersion: 4,
  clean: true,
  clientId,
  keepalive,
  username,
  password: Buffer.from(password),
});

/** A command line as a shell would split it (no quoting: arguments here hold no spaces). */
export const argv = (line: string): string[] => line.trim().split(/\s+/);

/** A Debian mosquitto client (mosquitto_sub/mosquitto_pub) with its output collected. */
export interface ToolRun {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  waitForOutput(text: string): Promise<void>;
  kill(): void;
}

export function runTool(command: string, args: string[]): ToolRun {
  // Line-buffered, or mosquitto's -d output sits in its stdio buffer until it exits.
  const child = spawn('stdbuf', ['-oL', '-eL', command, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => out,
    exited,
    waitForOutput: (text) => waitFor(() => out.includes(text)),
    kill: () => {
      if (child.exitCode === null) child.kill();
    },
  };
}
