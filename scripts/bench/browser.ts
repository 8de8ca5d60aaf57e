/**
 * Scenario 4, live table: the built server (product.ts, serving the console from the Next build) with the console's live
 * view open in Chromium while the server streams events. The stream comes from Mote's own
 * network simulator (docs/behaviour.md §8), one device per 5 events/s, so the server's HTTP front is not the
 * bottleneck; a raw MQTT subscriber in its own process counts what was streamed. Reports long
 * tasks during the stream, the JS heap after GC before, midway and after, and rows shown (the
 * 10 000-row cap). With `BENCH_CPU_PROF=<dir>` the page's CPU profile over the stream is saved;
 * with `BENCH_TRACE=<dir>` a Chrome trace of it (tasks, style, layout, paint, GC: open it in
 * DevTools' Performance panel) to tell what each long task was; `BENCH_TRACE_MORE=<categories>`
 * adds trace categories (e.g. `disabled-by-default-devtools.timeline.invalidationTracking`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { adminSession, type Caller, call } from '../../test/helpers/api';
import type { RunningMote } from '../../test/helpers/mote';
import { startProduct } from './product';
import { cpuMeter, procStat, sleep, spawnWorker } from './rpc';
import type { SubscriberReport } from './subscriber';

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
/** Enough to name a long task's parts (script, style, layout, paint, GC) without sampling. */
const TRACE_CATEGORIES = [
  'toplevel',
  'devtools.timeline',
  'v8',
  'blink.user_timing',
  'disabled-by-default-devtools.timeline',
];
/** The simulator ticks every 200 ms and a device takes at most one turn a tick: 5 events/s each. */
const EVENTS_PER_DEVICE_PER_S = 5;

interface LongTask {
  start: number;
  duration: number;
}

declare global {
  interface Window {
    __longTasks: LongTask[];
  }
}

async function setUp(mote: RunningMote, devices: string[]) {
  const admin = await adminSession(mote);
  const ok = async (who: Caller, method: string, path: string, body?: unknown) => {
    const r = await call(mote, who, method, path, body);
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  await ok(admin, 'POST', '/api/v3/applications', { application: { ids: { application_id: APP } } });
  for (const [i, d] of devices.entries()) {
    const dev_eui = `70B3D57ED0${(0x100000 + i).toString(16).toUpperCase()}`;
    await ok(admin, 'POST', `/api/v3/applications/${APP}/devices`, {
      end_device: { ids: { device_id: d, dev_eui, join_eui: '0000000000000000' } },
    });
  }
  const { key } = (await ok(admin, 'POST', `/api/v3/applications/${APP}/api-keys`, {
    name: 'bench',
    rights: ['RIGHT_APPLICATION_ALL'],
  })) as { key: string };
  const simulate = (verb: 'start' | 'stop') =>
    Promise.all(
      devices.map((d) =>
        ok({ key }, 'POST', `/api/v3/sim/applications/${APP}/devices/${d}/${verb}`, {
          ...(verb === 'start' ? { interval: 100, ack_loss: 0 } : {}),
        }),
      ),
    );
  return { key, simulate };
}

async function openLiveView(page: Page, mote: RunningMote) {
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        window.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(`${mote.url}/login?next=${encodeURIComponent(`/applications/${APP}/live`)}`);
  await page.getByLabel('Password').fill(mote.adminPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname.endsWith('/live'));
  await page
    .locator('[data-testid="connection-badge"][data-status="connected"]')
    // Generous: on a busy machine the first page load compiles and hydrates slowly.
    .waitFor({ timeout: 60_000 })
    .catch(async () => {
      const badge = await page
        .getByTestId('connection-badge')
        .getAttribute('data-status')
        .catch(() => null);
      throw new Error(`the live view never connected (MQTT over WebSockets; badge: ${badge ?? 'none'})`);
    });
}

export async function runBrowser(opts: BrowserOptions, log: (s: string) => void) {
  const deviceCount = Math.ceil(opts.rate / EVENTS_PER_DEVICE_PER_S);
  const devices = Array.from({ length: deviceCount }, (_, i) => `live-${i}`);
  log(
    `browser: live view while ${deviceCount} simulated devices stream ${opts.rate} events/s for ${opts.seconds} s`,
  );
  const product = await startProduct();
  const mote = product.mote;
  const counter = spawnWorker('subscriber.ts');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const { key, simulate } = await setUp(mote, devices);
    await counter.call('subscribe', {
      port: mote.mqttPort,
      count: 1,
      clientPrefix: 'bench-live-count',
      filter: '#',
      username: APP,
      password: key,
    });
    const page = await browser.newPage();
    await openLiveView(page, mote);
    const cdp = await page.context().newCDPSession(page);
    const heapMb = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      return (await cdp.send('Runtime.getHeapUsage')).usedSize / 1024 / 1024;
    };
    const heapStart = await heapMb();
    await page.evaluate(() => {
      window.__longTasks = [];
    });
    const serverPid = mote.pid;
    const cpu = cpuMeter([serverPid, counter.pid]);
    const profileDir = process.env.BENCH_CPU_PROF;
    if (profileDir) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    const traceDir = process.env.BENCH_TRACE;
    if (traceDir) {
      mkdirSync(traceDir, { recursive: true });
      await browser.startTracing(page, {
        path: join(traceDir, `browser-page-${Date.now()}.json`),
        categories: [...TRACE_CATEGORIES, ...(process.env.BENCH_TRACE_MORE?.split(',') ?? [])],
      });
    }
    const t0 = performance.now();
    await simulate('start');
    // Midway, once the full run has passed the cap: the heap should have stopped growing there.
    // The forced GC is the bench's doing, so a long task it causes is not counted.
    await sleep(opts.seconds * 667);
    const gcFrom = await page.evaluate(() => performance.now());
    const heapMid = await heapMb();
    const gcTo = await page.evaluate(() => performance.now());
    await sleep(Math.max(0, opts.seconds * 1000 - (performance.now() - t0)));
    await simulate('stop');
    if (profileDir) {
      const { profile } = await cdp.send('Profiler.stop');
      mkdirSync(profileDir, { recursive: true });
      writeFileSync(join(profileDir, `browser-page-${Date.now()}.cpuprofile`), JSON.stringify(profile));
    }
    if (traceDir) await browser.stopTracing();
    const seconds = (performance.now() - t0) / 1000;
    const usage = cpu();
    const rssMb = procStat(serverPid).rssMb;
    await sleep(1000);
    const streamed = (await counter.call<SubscriberReport>('report')).received;
    const all = await page.evaluate(() => window.__longTasks);
    const tasks = all.filter((t) => t.start + t.duration < gcFrom || t.start > gcTo).map((t) => t.duration);
    const rows = Number(await page.getByTestId('row-count').getAttribute('data-count'));
    const out = {
      devices: deviceCount,
      events_streamed: streamed,
      events_per_s: streamed / seconds,
      rows_shown: rows,
      row_cap_held: rows <= 10_000,
      long_tasks_over_50ms: tasks.filter((d) => d > 50).length,
      long_tasks_over_100ms: tasks.filter((d) => d > 100).length,
      longest_task_ms: tasks.length ? Math.max(...tasks) : 0,
      long_tasks_during_forced_gc: all.length - tasks.length,
      heap_mb_start: heapStart,
      heap_mb_mid: heapMid,
      heap_mb_end: await heapMb(),
      server_cpu_pct: usage[0],
      server_rss_mb: rssMb,
      counter_cpu_pct: usage[1],
    };
    log(
      `  ${streamed} events (${out.events_per_s.toFixed(0)}/s), ${rows} rows, long tasks >50 ms: ${out.long_tasks_over_50ms}, >100 ms: ${out.long_tasks_over_100ms} (longest ${out.longest_task_ms.toFixed(0)} ms), heap ${heapStart.toFixed(1)} → ${heapMid.toFixed(1)} → ${out.heap_mb_end.toFixed(1)} MB`,
    );
    return out;
  } finally {
    await browser.close();
    await counter.stop();
    await product.stop();
  }
}
