/**
 * What the kernel says about the server process: resident memory, open descriptors, and its TCP
 * connections on a port. Read from /proc, so a leak or an unreaped socket shows whatever the
 * server itself believes.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** VmRSS of `pid` in bytes. */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) * 1024;
}

/** Open file descriptors of `pid` (sockets included). */
export function openFds(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

/** TCP states and timers as /proc/net/tcp numbers them. */
const ESTABLISHED = '01';
const KEEPALIVE_TIMER = '02';

const hexPort = (port: number) => `:${port.toString(16).toUpperCase().padStart(4, '0')}`;

/** Rows of /proc/net/tcp{,6}: local address, remote address, state, timer. */
function tcpRows(): Array<{ local: string; remote: string; state: string; timer: string }> {
  const rows = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const [, local, remote, state, , timers] = line.trim().split(/\s+/);
      // Fewer than six columns (the trailing empty line): no socket.
      if (local === undefined || remote === undefined || state === undefined || timers === undefined)
        continue;
      // `tr:tm->when`: the timer kind only.
      rows.push({ local, remote, state, timer: timers.replace(/:.*/, '') });
    }
  }
  return rows;
}

/**
 * Established TCP connections whose local port is `port`: on loopback these are the server's
 * own ends of its clients' connections.
 */
export function establishedOnPort(port: number): number {
  return tcpRows().filter((r) => r.local.endsWith(hexPort(port)) && r.state === ESTABLISHED).length;
}

/**
 * Whether the server's end (local `serverPort`) of the connection from `clientPort` has the
 * kernel's keepalive timer armed: TCP keepalive will probe a peer that went silent, and reset
 * the connection when nobody answers.
 */
export function tcpKeepaliveArmed(serverPort: number, clientPort: number): boolean {
  return tcpRows().some(
    (r) =>
      r.local.endsWith(hexPort(serverPort)) &&
      r.remote.endsWith(hexPort(clientPort)) &&
      r.timer === KEEPALIVE_TIMER,
  );
}

export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Polls until `check` holds or `timeoutMs` passes; returns whether it held (callers assert). */
export async function eventually(
  check: () => boolean,
  timeoutMs: number,
  intervalMs = 100,
): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (check()) return true;
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
