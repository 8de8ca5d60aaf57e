/**
 * A real redis-server (Debian's, /usr/bin/redis-server) on a free port with a temporary dir and
 * no persistence, for the scale-out suites. `restart()` kills it and starts it again on the same
 * port, as a Redis restarted under traffic would be.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './mqtt';

export interface RunningRedis {
  url: string;
  port: number;
  /** SIGKILL, then a fresh server on the same port (empty: nothing was saved). */
  restart(): Promise<void>;
  /** SIGKILL only; `start()` brings it back on the same port. */
  kill(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export const REDIS_SERVER = '/usr/bin/redis-server';

export async function startRedis(): Promise<RunningRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'mote-redis-'));
  let child: ChildProcess | undefined;
  let out = '';

  const start = async () => {
    out = '';
    const c = spawn(
      REDIS_SERVER,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    c.stdout?.on('data', (b: Buffer) => {
      out = (out + b.toString()).slice(-4000);
    });
    c.stderr?.on('data', (b: Buffer) => {
      out = (out + b.toString()).slice(-4000);
    });
    child = c;
    const exited = new Promise<never>((_, reject) =>
      c.once('exit', (code) => reject(new Error(`redis-server exited with ${code}:\n${out}`))),
    );
    await Promise.race([waitForPing(port), exited]);
  };
  const kill = async () => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    c.kill('SIGKILL');
    await gone;
  };

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    start,
    kill,
    async restart() {
      await kill();
      await start();
    },
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** PING until PONG; the caller's timeout (or the test's) bounds it. */
async function waitForPing(port: number): Promise<void> {
  for (;;) {
    const pong = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: '127.0.0.1' });
      socket.once('connect', () => socket.write('PING\r\n'));
      socket.once('data', (b) => {
        socket.destroy();
        resolve(b.toString().startsWith('+PONG'));
      });
      socket.once('error', () => resolve(false));
    });
    if (pong) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}
