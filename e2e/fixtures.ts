import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { serverEntry } from '../test/helpers/serverEntry';

export interface Mote {
  url: string;
  httpPort: number;
  mqttPort: number;
  /** The Semtech UDP gateway frontend. */
  udpPort: number;
  adminPassword: string;
}

/**
 * Starts Mote as `npm start` runs it (the server bundle, or the sources when it is stale) on free
 * ports and waits for its `mote ready` log line. `env`: more environment for this Mote (the
 * screenshot script runs the demo).
 */
export async function startMote(
  env: Record<string, string> = {},
): Promise<{ mote: Mote; child: ChildProcess; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mote-e2e-'));
  const adminPassword = randomBytes(12).toString('hex');
  const child = spawn(process.execPath, serverEntry(), {
    env: {
      ...process.env,
      PORT: '0',
      MQTT_PORT: '0',
      MOTE_UDP_PORT: '0',
      HOST: '127.0.0.1',
      MOTE_DATA_DIR: dataDir,
      MOTE_ADMIN_PASSWORD: adminPassword,
      MOTE_DEMO: '0',
      NODE_ENV: 'production',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const ports = await new Promise<{ http: number; mqtt: number; udp: number }>((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`mote did not start in 60 s\n${stderr}`)), 60_000);
    child.stdout?.on('data', (c: Buffer) => {
      buf += c.toString();
      for (const line of buf.split('\n')) {
        if (!line.includes('"msg":"mote ready"')) continue;
        const log = JSON.parse(line) as { http: number; mqtt: number; udp: number };
        clearTimeout(timer);
        resolve({ http: log.http, mqtt: log.mqtt, udp: log.udp });
      }
    });
    child.once('exit', (code) => reject(new Error(`mote exited (${code})\n${stderr}`)));
  });
  const mote = {
    url: `http://127.0.0.1:${ports.http}`,
    httpPort: ports.http,
    mqttPort: ports.mqtt,
    udpPort: ports.udp,
    adminPassword,
  };
  return { mote, child, dataDir };
}

export async function login(page: Page, mote: Mote, path = '/'): Promise<void> {
  await page.goto(`${mote.url}/login?next=${encodeURIComponent(path)}`);
  await page.getByLabel('Password').fill(mote.adminPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

/** Calls the HTTP API as the logged-in browser does (session cookie + CSRF header). */
export async function apiCall<T>(
  page: Page,
  mote: Mote,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const csrf = (await page.context().cookies(mote.url)).find((c) => c.name === 'mote_csrf')?.value ?? '';
  const res = await page.request.fetch(`${mote.url}${path}`, {
    method,
    headers: { 'x-csrf-token': csrf, 'content-type': 'application/json' },
    data: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok()) throw new Error(`${method} ${path}: ${res.status()} ${text}`);
  return (text ? JSON.parse(text) : {}) as T;
}

let seq = 0;
/** A fresh ID per test, so tests sharing one server never collide. */
export const uniqueId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${seq++}`;

const euiBase = randomBytes(3).toString('hex').toUpperCase();
/**
 * A fresh DevEUI per call: a JoinEUI + DevEUI pair belongs to one device on the whole server
 * (issue 16), and spec files share their worker's server.
 */
export const uniqueEui = () => `70B3D5${euiBase}${(seq++).toString(16).toUpperCase().padStart(4, '0')}`;

export const test = base.extend<{ loggedIn: Page }, { mote: Mote }>({
  mote: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures take their dependencies by destructuring
    async ({}, use) => {
      const { mote, child, dataDir } = await startMote();
      await use(mote);
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    },
    { scope: 'worker', timeout: 90_000 },
  ],
  loggedIn: async ({ page, mote }, use) => {
    await login(page, mote);
    await use(page);
  },
});

export { expect };

export const screenshot = (page: Page, name: string, fullPage = false) =>
  page.screenshot({ path: `e2e/screenshots/${name}.png`, fullPage });
