/**
 * A byte pipe to one MQTT client — TCP, TLS or a WebSocket — so sessions never care which.
 * Writes made in one tick go out together (cork per tick), so a fan-out burst costs one
 * syscall per subscriber rather than one per message.
 */
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

export interface TransportEvents {
  data(chunk: Buffer): void;
  /** Called once, however the transport ended. */
  close(): void;
}

export interface Transport {
  readonly remoteAddress: string;
  write(chunk: Buffer): void;
  /**
   * Writes without waiting for the end of the tick: for a packet that goes out alone (CONNACK),
   * where the cork and its uncork would only add work. After `write`s in the same tick it joins them.
   */
  writeNow(chunk: Buffer): void;
  /** Bytes written but not yet taken by the kernel: what a slow reader makes grow. */
  bufferedBytes(): number;
  pause(): void;
  resume(): void;
  /** Has the kernel probe a peer that stays silent (TCP keepalive): for sessions without MQTT's. */
  probeSilentPeer(): void;
  /** `graceful` lets already written bytes (a CONNACK refusal) out first; otherwise drop them. */
  close(graceful: boolean): void;
}

/** How long a flushing close may wait for a peer that does not read. */
const END_GRACE_MS = 2_000;

/**
 * Idle time before the kernel starts probing the peer (TCP keepalive). MQTT's keepalive reaps a
 * silent session, but keepalive 0 turns it off [MQTT-3.1.2-22]; a peer that vanished without a
 * FIN or RST would then hold its socket forever. Probes cost nothing while the peer answers.
 * Only such sessions turn it on (three setsockopt calls were 3 % of a connection storm's CPU);
 * before CONNECT the connect timeout reaps.
 */
export const TCP_KEEPALIVE_MS = 60_000;

/**
 * Forces the end after the grace period, unless the transport closed first: a pending timer
 * would hold the connection and everything it references for the whole period.
 */
function graceTimer(force: () => void, onClose: (done: () => void) => void) {
  const timer = setTimeout(force, END_GRACE_MS);
  timer.unref();
  onClose(() => clearTimeout(timer));
}

/** Socket errors (ECONNRESET and friends) need no handling: the close event that follows cleans up. */
const ignore = () => {};

function uncork(t: SocketTransport) {
  t.corked = false;
  t.socket.uncork();
}

/** A class, not an object of closures: an idle connection holds one of these (issue 18, memory). */
class SocketTransport implements Transport {
  corked = false;
  readonly remoteAddress: string;

  constructor(
    readonly socket: Socket,
    events: TransportEvents,
  ) {
    this.remoteAddress = socket.remoteAddress ?? '';
    socket.setNoDelay(true);
    socket.on('data', events.data);
    socket.on('error', ignore);
    socket.once('close', events.close);
  }

  write(chunk: Buffer) {
    const socket = this.socket;
    if (socket.destroyed) return;
    if (!this.corked) {
      this.corked = true;
      socket.cork();
      process.nextTick(uncork, this);
    }
    socket.write(chunk);
  }

  writeNow(chunk: Buffer) {
    if (!this.socket.destroyed) this.socket.write(chunk);
  }

  bufferedBytes() {
    return this.socket.writableLength;
  }

  pause() {
    this.socket.pause();
  }

  resume() {
    this.socket.resume();
  }

  probeSilentPeer() {
    this.socket.setKeepAlive(true, TCP_KEEPALIVE_MS);
  }

  close(graceful: boolean) {
    const socket = this.socket;
    if (socket.destroyed) return;
    if (!graceful) {
      socket.destroy();
      return;
    }
    socket.end();
    graceTimer(
      () => socket.destroy(),
      (done) => socket.once('close', done),
    );
  }
}

export function socketTransport(socket: Socket, events: TransportEvents): Transport {
  return new SocketTransport(socket, events);
}

/**
 * MQTT over WebSockets: packets travel in binary frames [MQTT-6.0.0-1]; a frame may hold
 * several packets, so one tick's writes become one frame.
 */
export function webSocketTransport(ws: WebSocket, remoteAddress: string, events: TransportEvents): Transport {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = () => {
    const chunks = pending;
    pending = [];
    pendingBytes = 0;
    if (ws.readyState !== ws.OPEN) return;
    const only = chunks.length === 1 ? chunks[0] : undefined;
    ws.send(only ?? Buffer.concat(chunks), { binary: true });
  };
  ws.on('message', (data, isBinary) => {
    // Text frames are not MQTT [MQTT-6.0.0-1].
    if (!isBinary) {
      ws.terminate();
      return;
    }
    events.data(Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data));
  });
  ws.on('error', () => {});
  ws.once('close', events.close);
  const write = (chunk: Buffer) => {
    if (ws.readyState !== ws.OPEN) return;
    if (pending.length === 0) process.nextTick(flush);
    pending.push(chunk);
    pendingBytes += chunk.length;
  };
  return {
    remoteAddress,
    write,
    // One frame per tick still: a CONNACK over WebSockets is not what a storm is made of.
    writeNow: write,
    bufferedBytes: () => ws.bufferedAmount + pendingBytes,
    pause: () => ws.pause(),
    resume: () => ws.resume(),
    // The upgraded socket probes from the start (server.ts handleUpgrade): browsers sit behind
    // proxies that drop idle connections silently, whatever the MQTT keepalive.
    probeSilentPeer: () => {},
    close(graceful) {
      if (ws.readyState === ws.CLOSED) return;
      if (!graceful) {
        ws.terminate();
        return;
      }
      if (pending.length > 0) flush();
      ws.close();
      graceTimer(
        () => ws.terminate(),
        (done) => ws.once('close', done),
      );
    },
  };
}
