/**
 * Attacks on the server's edges (issue 17): sockets that never send CONNECT, bodies too big to
 * hold, requests sent one header line at a time. Each runs from a chosen loopback source address
 * (any of 127.0.0.0/8 reaches a loopback server), is bounded in count and time, and returns counts
 * for the suite to print and assert. Used by test/edge-abuse.test.ts and `npm run soak`.
 */
import { request } from 'node:http';
import { type Socket, connect as tcpConnect } from 'node:net';
import { generate, type IConnackPacket, parser as mqttParser, type Packet } from 'mqtt-packet';
import WebSocket from 'ws';
import { connectPacket } from './mqtt';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A TCP socket from `from`, resolved once connected; undefined when the connect failed. */
export function socketFrom(port: number, from: string): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ port, host: '127.0.0.1', localAddress: from });
    socket.once('connect', () => resolve(socket));
    socket.once('error', () => resolve(undefined));
  });
}

/** CONNECT over TCP from `from`: the CONNACK's return code, or -1 if the socket closed first. */
export async function mqttConnectFrom(
  port: number,
  from: string,
  appId: string,
  key: string,
  clientId: string,
) {
  const socket = await socketFrom(port, from);
  if (!socket) return -1;
  socket.on('error', () => {});
  const p = mqttParser({ protocolVersion: 4 });
  const code = new Promise<number>((resolve) => {
    p.on('packet', (packet: Packet) => {
      if (packet.cmd === 'connack') resolve((packet as IConnackPacket).returnCode ?? -1);
    });
    socket.on('data', (d) => p.parse(d));
    socket.once('close', () => resolve(-1));
  });
  socket.write(generate(connectPacket(appId, key, clientId)));
  const result = await code;
  socket.destroy();
  return result;
}

/** CONNECT over MQTT-over-WebSockets (`/mqtt` on the HTTP port) from `from`; -1 if refused. */
export async function mqttWsConnectFrom(
  httpPort: number,
  from: string,
  appId: string,
  key: string,
  clientId: string,
): Promise<number> {
  const ws = new WebSocket(`ws://127.0.0.1:${httpPort}/mqtt`, 'mqtt', { localAddress: from });
  const p = mqttParser({ protocolVersion: 4 });
  const code = new Promise<number>((resolve) => {
    p.on('packet', (packet: Packet) => {
      if (packet.cmd === 'connack') resolve((packet as IConnackPacket).returnCode ?? -1);
    });
    ws.on('message', (data: Buffer) => p.parse(data));
    ws.on('error', () => resolve(-1));
    ws.on('close', () => resolve(-1));
    ws.on('open', () => ws.send(generate(connectPacket(appId, key, clientId))));
  });
  const result = await code;
  ws.terminate();
  return result;
}

export interface SilentFloodStats {
  /** Sockets opened, over TCP and WebSockets. */
  opened: number;
  /** Sockets the server closed before the flood ended. */
  closedByServer: number;
  /** The most that were open at once. */
  peakOpen: number;
}

/**
 * Keeps up to `sockets` connections from `from` open that never send CONNECT — TCP to the MQTT
 * port, and every fifth one a WebSocket upgrade on `/mqtt` — reopening those the server closes,
 * at most `perSecond` new ones a second, until `signal` aborts. Everything is closed at the end.
 */
export async function silentMqttFlood(
  target: { mqttPort: number; httpPort: number },
  from: string,
  options: { sockets: number; perSecond: number; signal: AbortSignal },
): Promise<SilentFloodStats> {
  const stats: SilentFloodStats = { opened: 0, closedByServer: 0, peakOpen: 0 };
  const open = new Set<{ close(): void }>();
  const track = (handle: { close(): void }, onClose: (cb: () => void) => void) => {
    stats.opened++;
    open.add(handle);
    stats.peakOpen = Math.max(stats.peakOpen, open.size);
    onClose(() => {
      if (open.delete(handle) && !options.signal.aborted) stats.closedByServer++;
    });
  };
  const tick = 1000 / options.perSecond;
  while (!options.signal.aborted) {
    if (open.size < options.sockets) {
      if (stats.opened % 5 === 4) {
        const ws = new WebSocket(`ws://127.0.0.1:${target.httpPort}/mqtt`, 'mqtt', { localAddress: from });
        ws.on('error', () => {});
        track({ close: () => ws.terminate() }, (cb) => ws.once('close', cb));
      } else {
        const socket = tcpConnect({ port: target.mqttPort, host: '127.0.0.1', localAddress: from });
        socket.on('error', () => {});
        track({ close: () => socket.destroy() }, (cb) => socket.once('close', cb));
      }
    }
    await sleep(tick);
  }
  for (const handle of open) handle.close();
  return stats;
}

export interface BigBodyResult {
  status: number;
  /** Body bytes written before the answer came (or the connection closed). */
  sent: number;
}

/**
 * POSTs up to `bytes` of body to `path` — chunked, or with its Content-Length declared — on a raw
 * socket, 64 KiB at a time, stopping as soon as the server answers; the status it answered.
 */
export async function bigBody(
  port: number,
  path: string,
  bytes: number,
  options: { chunked: boolean; headers?: Record<string, string> },
): Promise<BigBodyResult> {
  const socket = await socketFrom(port, '127.0.0.1');
  if (!socket) throw new Error('could not connect');
  socket.on('error', () => {});
  let answer = '';
  let done = false;
  const answered = new Promise<void>((resolve) => {
    socket.on('data', (d: Buffer) => {
      answer += d.toString('latin1');
      if (answer.includes('\r\n')) done = true;
      resolve();
    });
    socket.once('close', () => {
      done = true;
      resolve();
    });
  });
  const extra = Object.entries(options.headers ?? {}).map(([k, v]) => `${k}: ${v}\r\n`);
  socket.write(
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nOrigin: http://127.0.0.1:${port}\r\n${extra.join('')}` +
      (options.chunked ? 'Transfer-Encoding: chunked\r\n\r\n' : `Content-Length: ${bytes}\r\n\r\n`),
  );
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let sent = 0;
  while (!done && sent < bytes) {
    const frame = options.chunked
      ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')])
      : chunk;
    sent += chunk.length;
    if (!socket.write(frame)) await Promise.race([new Promise((r) => socket.once('drain', r)), answered]);
  }
  if (!done && options.chunked) socket.write('0\r\n\r\n');
  await answered;
  // The status line may come in a later packet than the first byte.
  for (let i = 0; i < 100 && !answer.includes('\r\n') && !socket.destroyed; i++) await sleep(10);
  socket.destroy();
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);
  return { status, sent };
}

export interface SlowlorisStats {
  /** Sockets the attack tried to open. */
  attempted: number;
  /** Closed by the server: refused at once, or timed out with their request unfinished. */
  closedByServer: number;
  /** The most that were open at once. */
  peakOpen: number;
  /** Open sockets right now. */
  open(): number;
  /** Stops sending, closes what is left. */
  stop(): void;
}

/**
 * Half-sent requests from each of `from`: `sockets` connections per address, each sending a
 * request line and then one more header line every `everyMs`, never the blank line that ends
 * the head.
 */
export async function slowloris(
  port: number,
  from: string[],
  options: { sockets: number; everyMs: number },
): Promise<SlowlorisStats> {
  const open = new Set<Socket>();
  let stopped = false;
  const stats = {
    attempted: 0,
    closedByServer: 0,
    peakOpen: 0,
    open: () => open.size,
    stop() {
      stopped = true;
      clearInterval(timer);
      for (const s of open) s.destroy();
      open.clear();
    },
  };
  const opening: Promise<void>[] = [];
  for (const address of from) {
    for (let i = 0; i < options.sockets; i++) {
      stats.attempted++;
      opening.push(
        socketFrom(port, address).then((socket) => {
          if (!socket) {
            stats.closedByServer++;
            return;
          }
          socket.on('error', () => {});
          open.add(socket);
          stats.peakOpen = Math.max(stats.peakOpen, open.size);
          socket.once('close', () => {
            if (open.delete(socket) && !stopped) stats.closedByServer++;
          });
          socket.write(`GET /api/v3/applications HTTP/1.1\r\nHost: 127.0.0.1\r\n`);
        }),
      );
    }
  }
  await Promise.all(opening);
  let n = 0;
  const timer = setInterval(() => {
    for (const s of open) s.write(`X-Slow-${n}: ${n}\r\n`);
    n++;
  }, options.everyMs);
  return stats;
}

/** A GET from `from` with a fresh connection: its status, or 0 when the connection failed. */
export function getFrom(
  port: number,
  from: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path, localAddress: from, agent: false, headers },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.setTimeout(20_000, () => req.destroy());
    req.end();
  });
}

/** A console login from `from` (optionally through a proxy's `X-Forwarded-For`). */
export function loginFrom(
  port: number,
  from: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; message: string; cookie: string }> {
  const body = JSON.stringify({ password });
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/api/auth/login',
        method: 'POST',
        localAddress: from,
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c;
        });
        res.on('end', () => {
          let message = '';
          try {
            message = (JSON.parse(text) as { message?: string }).message ?? '';
          } catch {}
          const cookie = (res.headers['set-cookie'] ?? []).map((c) => c.split(';', 1)[0]).join('; ');
          resolve({ status: res.statusCode ?? 0, message, cookie });
        });
      },
    );
    req.on('error', () => resolve({ status: 0, message: 'connection failed', cookie: '' }));
    req.end(body);
  });
}
