import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serverEntry } from './serverEntry';

export interface RunningMote {
  url: string;
  httpPort: number;
  mqttPort: number;
  /** The Semtech UDP gateway frontend. */
  udpPort: number;
  dataDir: string;
  adminPassword: string;
  /** The server process, for /proc readings (RSS, open descriptors, bench CPU) and liveness checks. */
  pid: number;
  /** Whether the process is still running (not exited or killed). */
  alive(): boolean;
  output(): string;
  /** SIGTERM and wait. */
  stop(): Promise<void>;
  /** SIGKILL and wait: a crash, for crash-safety tests. */
  kill(): Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string>;
  /** Reuse a data dir (restart tests); otherwise a fresh temporary one. */
  dataDir?: string;
  adminPassword?: string;
  /** Extra Node flags for the server process (profiling, heap snapshots). */
  nodeArgs?: string[];
}

/**
 * Starts a real Mote (as `npm start` runs it: serverEntry.ts) on free ports with its own data dir, and resolves when it
 * prints its ready line. Each test file starts its own.
 */
export async function startMote(options: StartOptions = {}): Promise<RunningMote> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'mote-test-'));
  const adminPassword = options.adminPassword ?? randomBytes(12).toString('base64url');
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...serverEntry()], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: '0',
      MQTT_PORT: '0',
      MOTE_UDP_PORT: '0',
      HOST: '127.0.0.1',
      MOTE_DATA_DIR: dataDir,
      MOTE_ADMIN_PASSWORD: adminPassword,
      MOTE_DEMO: '0',
      LOG_LEVEL: 'info',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const ready = new Promise<{ http: number; mqtt: number; udp: number }>((resolve, reject) => {
    let ready = false;
    const onData = (chunk: Buffer) => {
      const from = out.lastIndexOf('\n') + 1;
      out += chunk.toString();
      // Only until ready, and only the new lines: a long run logs a lot.
      if (ready) return;
      for (const line of out.slice(from).split('\n')) {
        if (!line.includes('"mote ready"')) continue;
        ready = true;
        resolve(JSON.parse(line) as { http: number; mqtt: number; udp: number });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.once('exit', (code) => reject(new Error(`mote exited with ${code} before ready:\n${out}`)));
  });
  const ports = await ready;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    url: `http://127.0.0.1:${ports.http}`,
    httpPort: ports.http,
    mqttPort: ports.mqtt,
    udpPort: ports.udp,
    dataDir,
    adminPassword,
    pid: child.pid ?? 0,
    alive: () => child.exitCode === null && child.signalCode === null,
    output: () => out,
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
  };
}

export function removeDataDir(mote: RunningMote): void {
  rmSync(mote.dataDir, { recursive: true, force: true });
}

export type { ChildProcess };
