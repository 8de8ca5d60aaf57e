import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import next from 'next';
import { errorDetails } from '../../lib/errors';
import type { Config } from '../config';
import type { Logger } from '../log';
import { HeldBodyMessage } from './bodyLimit';
import { CLIENT_ADDRESS_HEADER, type TrustedProxies } from './clientAddress';
import { trackConnections } from './connectionLimits';
import { requestTooLarge } from './errors';
import { stampRequestPath } from './requestPath';
import { setSecurityHeaders } from './securityHeaders';

export interface WebServerOptions {
  dev: boolean;
  dir: string;
  log: Logger;
  /** True once every listener accepts connections: `GET /healthz` answers 200 only then. */
  healthy(): boolean;
  /** MQTT over WebSockets at /mqtt; returns false for upgrades that are not its own. */
  handleUpgrade?(req: IncomingMessage, socket: Duplex, head: Buffer, remoteAddress?: string): boolean;
  /** Body limit, timeouts and connection caps (`Config.http`). */
  limits: Config['http'];
  proxies: TrustedProxies;
}

/** How long a refused upload may go on being read (and dropped) after its 413 went out. */
const LINGER_MS = 2_000;

/**
 * 413 in the API's error shape, then the connection closes. Closing a socket with unread bytes
 * sends a TCP reset, and a client still sending would lose the 413 to it: so, as nginx's
 * lingering close, the write side shuts first and the rest is read and dropped for a moment.
 */
function refuseTooLarge(res: ServerResponse, maxBytes: number) {
  const socket = res.socket;
  if (socket) {
    // Node calls destroySoon() once a `connection: close` response has gone out.
    socket.destroySoon = () => {
      socket.end();
      setTimeout(() => socket.destroy(), LINGER_MS).unref();
    };
  }
  const err = requestTooLarge({ max_bytes: maxBytes });
  res.writeHead(413, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    connection: 'close',
  });
  res.end(JSON.stringify({ code: err.code, message: err.message, details: [errorDetails(err)] }));
}

/** The HTTP server: `/healthz`, then Next (pages + `/api/v3`), with `/mqtt` upgrades for MQTT. */
export async function createWebServer(options: WebServerOptions): Promise<Server> {
  const app = next({ dev: options.dev, dir: options.dir });
  await app.prepare();
  const handle = app.getRequestHandler();

  const { limits, proxies } = options;
  // Only the socket (or a trusted proxy) says where a request came from; a client-sent copy of
  // our header would be a lie.
  const stampClientAddress = (req: IncomingMessage) => {
    delete req.headers[CLIENT_ADDRESS_HEADER];
    const peer = req.socket.remoteAddress ?? 'unknown';
    req.headers[CLIENT_ADDRESS_HEADER] = proxies.clientOf(peer, req.headers['x-forwarded-for']);
  };
  const connections = trackConnections({
    max: limits.maxConnections,
    perIp: limits.maxConnectionsPerIp,
    exempt: proxies.trusted,
  });

  const server = createServer(
    {
      IncomingMessage: HeldBodyMessage,
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // How often the two timeouts above are checked: Node's 30 s default let a slowloris hold
      // its sockets for more than a minute.
      connectionsCheckingInterval: 1_000,
    },
    async (req, res) => {
      connections.requested(req.socket);
      // The socket's idle limit was for a connection that had sent nothing yet; a handler may
      // take its time.
      req.socket.setTimeout(0);
      stampClientAddress(req);
      stampRequestPath(req);
      // Bounds what is held of the body from here on, whatever the answer.
      const body = req as HeldBodyMessage;
      const verdict = body.bodyWithin(limits.maxBodyBytes);
      // Before Next's handle(): it writes the response, and reads the CSP nonce from the request.
      setSecurityHeaders(req, res, options.dev);
      if (req.url === '/healthz') {
        const ok = options.healthy();
        res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(JSON.stringify({ status: ok ? 'ok' : 'starting' }));
        return;
      }
      if ((await verdict) === 'too-large') {
        refuseTooLarge(res, limits.maxBodyBytes);
        return;
      }
      body.release();
      handle(req, res).catch((e: unknown) => {
        options.log.error({ err: e }, 'request failed');
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    },
  );
  server.on('connection', (socket: Socket) => {
    if (!connections.accept(socket)) return;
    // A socket that never sends a whole request head: Node's headersTimeout only starts at the
    // first byte, so a silent one would otherwise stay until the peer gives up.
    socket.setTimeout(limits.headersTimeoutMs);
  });

  // A kept-alive connection the server closes as idle just as a client reuses it fails that
  // request with no answer, and clients do not resend a POST. Node's 5 s default lost requests
  // sent 20 ms after the previous answer while a flood kept the event loop busy; 65 s outlasts
  // the idle timeouts of clients (undici: 4 s) and of proxies in front (typically 60 s).
  server.keepAliveTimeout = 65_000;

  // Next adds its own `upgrade` listener (HMR) after the first request; it must see only the
  // upgrades that are not MQTT's, so ours runs first and claims just `/mqtt`.
  server.prependListener('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    stampClientAddress(req);
    // A WebSocket is idle for long stretches by design; the idle limit was for its handshake.
    socket.setTimeout(0);
    const client = String(req.headers[CLIENT_ADDRESS_HEADER]);
    if (options.handleUpgrade?.(req, socket, head, client)) {
      // MQTT over WebSockets: the MQTT frontend's per-address limits apply from here on.
      connections.release(socket);
      return;
    }
    if (!options.dev) socket.destroy();
  });
  return server;
}

export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}
