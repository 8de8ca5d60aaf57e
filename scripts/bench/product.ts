/**
 * Mote as users run it (issue 18): the built server (`npm run build` → `.mote-build/server.mjs`,
 * what `npm start` runs, with its Node flags), its own process and data dir, free ports, driven
 * only from outside. The one window in is Node's inspector, to force a full GC before a memory
 * reading (`HeapProfiler.collectGarbage`), as a heap snapshot would, and to watch its event loop's
 * delay (perf_hooks, a 1 ms timer); it changes nothing else.
 * `BENCH_SERVER_NODE_ARGS` adds flags for the server (e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`).
 * `BENCH_SERVER_OUTPUT=<file>` appends what the server printed to that file as it stops (`--trace-gc`).
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import { currentBundle } from '../../bin/bundles.cjs';
import { appWithKey } from '../../test/helpers/api';
import { type RunningMote, removeDataDir, startMote } from '../../test/helpers/mote';
import { buildBundles } from '../build-bundles.js';
import { procStat, sleep } from './rpc';

/** The flags `npm start` gives node (package.json), read so the two cannot drift apart. */
function startFlags(): string[] {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } };
  return pkg.scripts.start.split(/\s+/).filter((a) => a.startsWith('--'));
}

export interface Product {
  mote: RunningMote;
  pid: number;
  applicationId: string;
  /** An API key with every right on the application. */
  key: string;
  /** RSS after two full GCs, in MB. */
  settledRssMb(): Promise<number>;
  /**
   * Starts watching the server's event loop (perf_hooks' delay histogram, 1 ms resolution, set up
   * through the inspector); what it returns gives the longest stall seen since, in ms.
   */
  watchEventLoop(): Promise<() => Promise<number>>;
  stop(): Promise<void>;
}

async function inspectorUrl(mote: RunningMote): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const url = /Debugger listening on (ws:\/\/\S+)/.exec(mote.output())?.[1];
    if (url) return url;
    await sleep(50);
  }
  throw new Error('the server printed no inspector address');
}

/** One inspector call: `method` with `params`, its result. */
function inspect<T>(url: string, method: string, params: Record<string, unknown> = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('error', reject);
    ws.once('open', () => ws.send(JSON.stringify({ id: 1, method, params })));
    ws.on('message', (data) => {
      const answer = JSON.parse(data.toString()) as { id?: number; result?: T; error?: { message: string } };
      if (answer.id !== 1) return;
      ws.close();
      if (answer.error) reject(new Error(`${method}: ${answer.error.message}`));
      else resolve(answer.result as T);
    });
  });
}

const collectGarbage = (url: string) => inspect<void>(url, 'HeapProfiler.collectGarbage');

/** An expression's value in the server's main context (returnByValue: plain data only). */
async function evaluate<T>(url: string, expression: string): Promise<T> {
  const r = await inspect<{ result: { value: T }; exceptionDetails?: { text: string } }>(
    url,
    'Runtime.evaluate',
    {
      expression,
      returnByValue: true,
    },
  );
  if (r.exceptionDetails) throw new Error(`in the server: ${r.exceptionDetails.text}`);
  return r.result.value;
}

export async function startProduct(
  env: Record<string, string> = {},
  options: { adminPassword?: string } = {},
): Promise<Product> {
  const root = pathToFileURL(`${process.cwd()}/`);
  if (!currentBundle(root, 'server')) await buildBundles();
  const mote = await startMote({
    nodeArgs: [
      ...startFlags(),
      '--inspect=127.0.0.1:0',
      ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
    ],
    env,
    adminPassword: options.adminPassword,
  });
  const inspector = await inspectorUrl(mote);
  const applicationId = 'bench-app';
  const key = await appWithKey(mote, applicationId, ['RIGHT_APPLICATION_ALL']);
  return {
    mote,
    pid: mote.pid,
    applicationId,
    key,
    async settledRssMb() {
      for (let i = 0; i < 2; i++) {
        await collectGarbage(inspector);
        await sleep(200);
      }
      return procStat(mote.pid).rssMb;
    },
    async watchEventLoop() {
      const name = `__benchLoop${Math.random().toString(36).slice(2)}`;
      await evaluate(
        inspector,
        `{ const h = process.getBuiltinModule('node:perf_hooks').monitorEventLoopDelay({ resolution: 1 }); h.enable(); globalThis.${name} = h; }`,
      );
      return () =>
        evaluate<number>(
          inspector,
          `(() => { const h = globalThis.${name}; h.disable(); delete globalThis.${name}; return h.max / 1e6; })()`,
        );
    },
    async stop() {
      await mote.stop();
      const output = process.env.BENCH_SERVER_OUTPUT;
      if (output) appendFileSync(output, mote.output());
      removeDataDir(mote);
    },
  };
}
