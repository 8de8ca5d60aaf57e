/**
 * Scenario 4, live table: the real server (server/main.ts, Next build) with the console's live
 * view open in Chromium while simulated uplinks stream in over the HTTP API. Long tasks during
 * the stream, JS heap after GC at start and end, and rows shown (the 10 000-row cap).
 */
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { adminSession, call } from '../../test/helpers/api';
import { removeDataDir, startMote } from '../../test/helpers/mote';
import { cpuMeter, sleep, spawnWorker } from './rpc';

export interface BrowserOptions {
  rate: number;
  seconds: number;
}

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const APP = 'bench-live';
const DEVICES = Array.from({ length: 20 }, (_, i) => `live-${i}`);
const pending = (note: string) => ({
  long_tasks_over_100ms: null,
  long_tasks_over_50ms: null,
  heap_mb_start: null,
  heap_mb_end: null,
  rows_shown: null,
  note,
});

declare global {
  interface Window {
    __longTasks: number[];
  }
}

export async function runBrowser(opts: BrowserOptions, log: (s: string) => void) {
  log(`browser: live view while ${opts.rate} uplinks/s stream for ${opts.seconds} s`);
  if (!existsSync('.next/BUILD_ID')) return pending('no Next build: run `npm run build` first');
  const mote = await startMote({ env: { LOG_LEVEL: 'warn' } });
  const feeder = spawnWorker('feeder.ts');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const admin = await adminSession(mote);
    await call(mote, admin, 'POST', '/api/v3/applications', {
      application: { ids: { application_id: APP } },
    });
    for (const [i, d] of DEVICES.entries()) {
      const dev_eui = `70B3D57ED00${(0x10000 + i).toString(16).toUpperCase()}`;
      await call(mote, admin, 'POST', `/api/v3/applications/${APP}/devices`, {
        end_device: { ids: { device_id: d, dev_eui, join_eui: '0000000000000000' } },
      });
    }
    const key = await call<{ key: string }>(mote, admin, 'POST', `/api/v3/applications/${APP}/api-keys`, {
      name: 'bench',
      rights: ['RIGHT_APPLICATION_ALL'],
    });

    const page = await browser.newPage();
    await page.addInitScript(() => {
      window.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__longTasks.push(e.duration);
      }).observe({ type: 'longtask', buffered: true });
    });
    await page.goto(`${mote.url}/login?next=${encodeURIComponent(`/applications/${APP}/live`)}`);
    await page.getByLabel('Password').fill(mote.adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => u.pathname.endsWith('/live'));
    try {
      await page
        .locator('[data-testid="connection-badge"][data-status="connected"]')
        .waitFor({ timeout: 15_000 });
    } catch {
      return pending('live view never connected (MQTT over WebSockets not serving yet?)');
    }
    const cdp = await page.context().newCDPSession(page);
    const heapMb = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      return (await cdp.send('Runtime.getHeapUsage')).usedSize / 1024 / 1024;
    };
    const heapStart = await heapMb();
    await page.evaluate(() => {
      window.__longTasks = [];
    });
    const cpu = cpuMeter([feeder.pid]);
    const fed = await feeder.call<{ ok: number; failed: number; skipped: number; seconds: number }>('feed', {
      url: mote.url,
      applicationId: APP,
      deviceIds: DEVICES,
      key: key.body.key,
      rate: opts.rate,
      seconds: opts.seconds,
    });
    const feederCpu = cpu()[0];
    await sleep(1000);
    const tasks = await page.evaluate(() => window.__longTasks);
    const rows = Number(await page.getByTestId('row-count').getAttribute('data-count'));
    const out = {
      events_sent: fed.ok,
      events_failed: fed.failed + fed.skipped,
      events_per_s: fed.ok / fed.seconds,
      rows_shown: rows,
      row_cap_held: rows <= 10_000,
      long_tasks_over_50ms: tasks.filter((d) => d > 50).length,
      long_tasks_over_100ms: tasks.filter((d) => d > 100).length,
      longest_task_ms: tasks.length ? Math.max(...tasks) : 0,
      heap_mb_start: heapStart,
      heap_mb_end: await heapMb(),
      feeder_cpu_pct: feederCpu,
    };
    log(
      `  ${out.events_sent} events, ${rows} rows, long tasks >50 ms: ${out.long_tasks_over_50ms}, >100 ms: ${out.long_tasks_over_100ms}, heap ${heapStart.toFixed(1)} → ${out.heap_mb_end.toFixed(1)} MB`,
    );
    return out;
  } finally {
    await browser.close();
    await feeder.stop();
    await mote.stop();
    removeDataDir(mote);
  }
}
