/**
 * Clients that misbehave on purpose, on raw sockets: connection churn, publish floods,
 * subscribers that stop reading, sessions that go silent, sockets that never send CONNECT.
 * Each returns counts for the suite to print and assert.
 */
import { type Socket, connect as tcpConnect } from 'node:net';
import { parser as createParser, generate, type IConnectPacket, type Packet } from 'mqtt-packet';

const connectBytes = (appId: string, key: string, clientId: string, keepalive = 30) =>
  generate({
    cmd: 'connect',
    protocolId: 'MQTT',
    protocolVersion: 4,
    clean: true,
    clientId,
    keepalive,
    username: appId,
    password: Buffer.from(key),
  } satisfies IConnectPacket);

/** A socket, its parsed packets and its end. */
export interface Raw {
  socket: Socket;
  packets: Packet[];
  closed: Promise<void>;
  isClosed(): boolean;
  /** Resolves true once a packet of `cmd` arrived, false if the connection closed first. */
  next(cmd: Packet['cmd']): Promise<boolean>;
}

export function raw(port: number): Promise<Raw> {
  const socket = tcpConnect(port, '127.0.0.1');
  socket.on('error', () => {});
  const packets: Packet[] = [];
  const waiters: Array<() => void> = [];
  const p = createParser({ protocolVersion: 4 });
  p.on('packet', (packet: Packet) => {
    packets.push(packet);
    for (const w of waiters.splice(0)) w();
  });
  p.on('error', () => socket.destroy());
  socket.on('data', (d) => p.parse(d));
  let closed = false;
  const closedPromise = new Promise<void>((resolve) =>
    socket.once('close', () => {
      closed = true;
      for (const w of waiters.splice(0)) w();
      resolve();
    }),
  );
  let seen = 0;
  const r: Raw = {
    socket,
    packets,
    closed: closedPromise,
    isClosed: () => closed,
    async next(cmd) {
      for (;;) {
        for (const packet of packets.slice(seen)) {
          seen++;
          if (packet.cmd === cmd) return true;
        }
        if (closed) return false;
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
  };
  return new Promise((resolve, reject) => socket.once('connect', () => resolve(r)).once('error', reject));
}

/** Opens a session: CONNECT and its CONNACK 0. */
export async function session(port: number, appId: string, key: string, clientId: string, keepalive = 30) {
  const r = await raw(port);
  r.socket.write(connectBytes(appId, key, clientId, keepalive));
  if (!(await r.next('connack'))) throw new Error(`${clientId}: closed before CONNACK`);
  return r;
}

export interface ChurnStats {
  connects: number;
  refused: number;
  /** Ended with DISCONNECT; the others were dropped (socket destroyed). */
  disconnected: number;
  dropped: number;
}

/**
 * `clients` distinct clients, `concurrency` at a time, each connecting and leaving (half of them
 * with DISCONNECT, half by dropping the socket), `rounds` times over.
 */
export async function churn(
  port: number,
  appId: string,
  key: string,
  options: { clients: number; rounds: number; concurrency: number },
): Promise<ChurnStats> {
  const stats: ChurnStats = { connects: 0, refused: 0, disconnected: 0, dropped: 0 };
  const jobs: Array<[number, number]> = [];
  for (let round = 0; round < options.rounds; round++)
    for (let i = 0; i < options.clients; i++) jobs.push([round, i]);
  const worker = async () => {
    for (let job = jobs.shift(); job; job = jobs.shift()) {
      const [round, i] = job;
      let r: Raw;
      try {
        r = await session(port, appId, key, `churn-${i}`);
      } catch {
        stats.refused++;
        continue;
      }
      stats.connects++;
      if ((round + i) % 2 === 0) {
        r.socket.end(Buffer.from([0xe0, 0x00]));
        stats.disconnected++;
      } else {
        r.socket.destroy();
        stats.dropped++;
      }
      await r.closed;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return stats;
}

export interface FloodStats {
  sent: number;
  /** PUBACKs received (QoS 1). */
  acked: number;
  /** From CONNACK to the reset. */
  seconds: number;
}

/**
 * Publishes `down/push` as fast as the socket takes it until stopped: QoS 0, or QoS 1 with every
 * packet identifier in use (the server's PUBACKs free them). Each push carries `tag:<n>`.
 */
export async function flood(
  port: number,
  appId: string,
  key: string,
  devices: readonly string[],
  options: { qos: 0 | 1; tag: string },
): Promise<{ stats: FloodStats; ackedTags: string[]; stop(): Promise<void> }> {
  const r = await session(port, appId, key, `flood-${options.tag}`);
  const stats: FloodStats = { sent: 0, acked: 0, seconds: 0 };
  const started = Date.now();
  const ackedTags: string[] = [];
  const inflight = new Map<number, string>();
  let running = true;
  let nextId = 0;
  const ackedSeen = { n: 0 };
  const publish = (n: number): Buffer => {
    const tag = `${options.tag}:${n}`;
    const packet: Packet = {
      cmd: 'publish',
      topic: `v3/${appId}/devices/${devices[n % devices.length]}/down/push`,
      payload: JSON.stringify({ downlinks: [{ f_port: 1, frm_payload: 'AQ==', correlation_ids: [tag] }] }),
      qos: options.qos,
      dup: false,
      retain: false,
    };
    if (options.qos === 1) {
      nextId = (nextId % 0xffff) + 1;
      packet.messageId = nextId;
      inflight.set(nextId, tag);
    }
    return generate(packet);
  };
  const onAcks = () => {
    for (const p of r.packets.slice(ackedSeen.n)) {
      ackedSeen.n++;
      if (p.cmd !== 'puback' || p.messageId === undefined) continue;
      const tag = inflight.get(p.messageId);
      inflight.delete(p.messageId);
      if (tag) {
        stats.acked++;
        ackedTags.push(tag);
      }
    }
  };
  r.socket.on('data', () => setImmediate(onAcks));
  const loop = (async () => {
    while (running && !r.isClosed()) {
      // QoS 1 keeps at most 1000 unacknowledged, far below the 65 535 identifiers.
      if (options.qos === 1 && inflight.size >= 1000) {
        await new Promise((resolve) => setTimeout(resolve, 2));
        continue;
      }
      const batch: Buffer[] = [];
      for (let i = 0; i < 100; i++) batch.push(publish(stats.sent++));
      if (!r.socket.write(Buffer.concat(batch))) {
        await new Promise<void>((resolve) => {
          const done = () => resolve();
          r.socket.once('drain', done);
          setTimeout(done, 50);
        });
      }
    }
  })();
  return {
    stats,
    ackedTags,
    async stop() {
      running = false;
      await loop;
      // PUBACKs still on their way for what the server took: wait for them to settle.
      let last = -1;
      while (stats.acked !== last) {
        last = stats.acked;
        await new Promise((resolve) => setTimeout(resolve, 500));
        onAcks();
      }
      // A reset, as a client that vanished: the server drops what it has not read yet.
      r.socket.resetAndDestroy();
      stats.seconds = (Date.now() - started) / 1000;
      await r.closed;
    },
  };
}
