import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import next from 'next';
import type { Logger } from '../log';
import { CLIENT_ADDRESS_HEADER } from './clientAddress';
import { setSecurityHeaders } from './securityHeaders';

export interface WebServerOptions {
  dev: boolean;
  dir: string;
  log: Logger;
  /** True once every listener accepts connections: `GET /healthz` answers 200 only then. */
  healthy(): boolean;
  /** MQTT over WebSockets at /mqtt; returns false for upgrades that are not its own. */
  handleUpgrade?(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
}

/** The HTTP server: `/healthz`, then Next (pages + `/api/v3`), with `/mqtt` upgrades for MQTT. */
export async function createWebServer(options: WebServerOptions): Promise<Server> {
  const app = next({ dev: options.dev, dir: options.dir });
  await app.prepare();
  const handle = app.getRequestHandler();

  const server = createServer((req, res) => {
    // Only the socket says where a request came from; a client-sent header would be a lie.
    delete req.headers[CLIENT_ADDRESS_HEADER];
    req.headers[CLIENT_ADDRESS_HEADER] = req.socket.remoteAddress ?? 'unknown';
    // Before Next's handle(): it writes the response, and reads the CSP nonce from the request.
    setSecurityHeaders(req, res, options.dev);
    if (req.url === '/healthz') {
      const ok = options.healthy();
      res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ status: ok ? 'ok' : 'starting' }));
      return;
    }
    handle(req, res).catch((e: unknown) => {
      options.log.error({ err: e }, 'request failed');
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  // A kept-alive connection the server closes as idle just as a client reuses it fails that
  // request with no answer, and clients do not resend a POST. Node's 5 s default lost requests
  // sent 20 ms after the previous answer while a flood kept the event loop busy; 65 s outlasts
  // the idle timeouts of clients (undici: 4 s) and of proxies in front (typically 60 s).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  // Next adds its own `upgrade` listener (HMR) after the first request; it must see only the
  // upgrades that are not MQTT's, so ours runs first and claims just `/mqtt`.
  server.prependListener('upgrade', (req, socket, head) => {
    if (options.handleUpgrade?.(req, socket, head)) return;
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
