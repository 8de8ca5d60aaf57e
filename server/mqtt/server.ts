/**
 * Mote's MQTT frontend (docs/behaviour.md §3, docs/adr/0001): TCP, TLS and WebSocket listeners
 * over one set of sessions. Not a general broker — clients never publish to each other; each
 * session holds app-scoped filters and receives from the bus.
 */
import type { IncomingMessage } from 'node:http';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { createServer as createTlsServer } from 'node:tls';
import { WebSocketServer } from 'ws';
import { createConnectFailures } from '../auth/connectFailures';
import { type Logger, silentLogger } from '../log';
import { Connection } from './connection';
import { type MqttContext, type MqttCounters, newCounters } from './context';
import { Fanout } from './fanout';
import { type MqttServerOptions, resolveOptions } from './options';
import { PendingConnections } from './pending';
import type { MqttPorts } from './ports';
import { KeyedRateLimiter } from './rate-limit';
import { DisconnectReason } from './reason-codes';
import { SessionRegistry } from './sessions';
import { socketTransport, TCP_KEEPALIVE_MS, webSocketTransport } from './transport';

export type { MqttServerOptions } from './options';

export interface MqttStats extends MqttCounters {
  /** Open transports, connected or not. */
  connections: number;
  /** Authenticated sessions. */
  sessions: number;
  /** Applications with a bus subscription. */
  applications: number;
  /** Bytes waiting in all sessions' socket buffers (bounded by maxOutboundBytes each). */
  outboundBytes: number;
}

export interface MqttServer {
  /** Resolves the bound port (pass 0 for a free one). */
  listenTcp(port: number, host?: string): Promise<number>;
  listenTls(
    port: number,
    tls: { cert: Buffer | string; key: Buffer | string },
    host?: string,
  ): Promise<number>;
  /**
   * Takes an HTTP upgrade for MQTT over WebSockets at `/mqtt` (subprotocols `mqtt`,
   * `mqttv3.1`). Returns false, touching nothing, for any other path (Next's HMR).
   * `remoteAddress`: the client's, when a trusted proxy named it; else the socket's peer.
   */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, remoteAddress?: string): boolean;
  close(): Promise<void>;
  stats(): MqttStats;
  listening(): boolean;
}

export const MQTT_WEBSOCKET_PATH = '/mqtt';
const SUBPROTOCOLS = ['mqtt', 'mqttv3.1'];

export function createMqttServer(
  ports: MqttPorts,
  options: Partial<MqttServerOptions> = {},
  log: Logger = silentLogger,
): MqttServer {
  const opts = resolveOptions(options);
  const fanout = new Fanout(ports.bus);
  const ctx: MqttContext = {
    ports,
    options: opts,
    log,
    sessions: new SessionRegistry(fanout),
    connections: new Set(),
    pending: new PendingConnections({
      max: opts.maxPendingConnections,
      perIp: opts.maxPendingPerIp,
      connectTimeoutMs: opts.connectTimeoutMs,
      pressuredConnectTimeoutMs: opts.pressuredConnectTimeoutMs,
    }),
    connectLimiter: new KeyedRateLimiter(opts.connectRate),
    connectFailures: (ports.connectFailures ?? createConnectFailures)(opts.authFailures),
    heldRefusals: new Map(),
    counters: newCounters(),
    now: Date.now,
  };
  let closed = false;
  const servers: Server[] = [];

  const stopRevocations = ports.onCredentialRevoked((credentialId) => {
    const n = ctx.sessions.revoke(credentialId);
    if (n > 0) log.info({ credentialId, sessions: n }, 'mqtt sessions closed: credential revoked');
  });
  // One sweep for all connections instead of a timer each: keepalive, CONNECT timeout, expiry.
  const sweep = setInterval(() => {
    const now = ctx.now();
    for (const conn of ctx.connections) conn.checkTimers(now);
    ctx.connectLimiter.prune(now);
  }, opts.sweepIntervalMs);
  sweep.unref();

  const accept = (socket: Socket) => {
    if (closed || !ctx.pending.admit(socket.remoteAddress ?? '')) {
      socket.destroy();
      return;
    }
    new Connection(ctx, (events) => socketTransport(socket, events));
  };

  const listen = (server: Server, port: number, host: string | undefined) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        server.on('error', (e) => log.error({ err: e }, 'mqtt listener error'));
        servers.push(server);
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: opts.maxPacketSize + 16,
    perMessageDeflate: false,
    handleProtocols: (offered) => SUBPROTOCOLS.find((p) => offered.has(p)) ?? false,
  });

  return {
    listenTcp: (port, host) => listen(createNetServer({ noDelay: true }, accept), port, host),
    listenTls(port, tls, host) {
      const server = createTlsServer({ cert: tls.cert, key: tls.key }, accept);
      server.on('tlsClientError', (e) => log.debug({ err: e.message }, 'mqtt tls handshake failed'));
      return listen(server, port, host);
    },
    handleUpgrade(req, socket, head, remoteAddress) {
      const path = (req.url ?? '').split('?', 1)[0];
      if (path !== MQTT_WEBSOCKET_PATH) return false;
      const remote = remoteAddress ?? req.socket.remoteAddress ?? '';
      if (closed || !ctx.pending.admit(remote)) {
        socket.destroy();
        return true;
      }
      req.socket.setKeepAlive(true, TCP_KEEPALIVE_MS);
      wss.handleUpgrade(req, socket, head, (ws) => {
        new Connection(ctx, (events) => webSocketTransport(ws, remote, events));
      });
      return true;
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(sweep);
      stopRevocations();
      for (const conn of [...ctx.connections]) {
        conn.close('server shutting down', false, DisconnectReason.serverShuttingDown);
      }
      fanout.close();
      wss.close();
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
    stats: () => ({
      ...ctx.counters,
      connections: ctx.connections.size,
      sessions: ctx.sessions.size,
      applications: fanout.applicationCount,
      outboundBytes: [...ctx.connections].reduce((sum, c) => sum + c.transport.bufferedBytes(), 0),
    }),
    listening: () => servers.some((s) => s.listening),
  };
}
