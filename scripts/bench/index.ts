/**
 * `npm run bench [-- --quick] [-- --only=fanout,storm,downlink,browser]`: Mote side by side with
 * mosquitto on this machine. Prints tables and writes bench/results/latest.json (and .md).
 * Timings live here, never in a test's pass/fail.
 */
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { runBrowser } from './browser';
import { runDownlink } from './downlink';
import { runFanout } from './fanout';
import { report } from './report';
import { runStorm } from './storm';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const only = argv
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const log = (s: string) => process.stderr.write(`${s}\n`);
const t0 = performance.now();

const fanoutOptions = {
  subscribers: 50,
  processes: 2,
  rates: quick ? [1_000, 2_000, 5_000] : [1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000],
  stepSeconds: quick ? 2 : 5,
};

const commit = () => {
  try {
    return execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
};
const results: Record<string, Record<string, unknown>> = {
  meta: {
    date: new Date().toISOString(),
    mode: quick ? 'quick' : 'full',
    node: process.version,
    cpus: `${cpus().length} × ${cpus()[0]?.model ?? '?'}`,
    commit: commit(),
    /** Anything else running skews every figure: the 1-minute load average before the run. */
    load_average_at_start: loadavg()[0],
  },
};
if (loadavg()[0] > 1)
  log(`note: load average is ${loadavg()[0].toFixed(1)} — other work on this machine will skew the figures`);

/** A scenario that fails is reported as such; the others still run. */
async function scenario(name: string, run: () => Promise<Record<string, unknown>>) {
  if (only && !only.includes(name)) return;
  try {
    results[name] = await run();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    log(`  ${name} failed: ${message}`);
    results[name] = { note: `failed: ${message.split('\n')[0]}` };
  }
}

await scenario('fanout', () => runFanout(fanoutOptions, log));
await scenario('storm', () => runStorm({ connections: 10_000, processes: 4 }, log));
await scenario('downlink', () => runDownlink({ rate: 1_000, seconds: quick ? 3 : 10 }, log));
await scenario('browser', () => runBrowser({ rate: 500, seconds: quick ? 10 : 30 }, log));

const title = `${fanoutOptions.subscribers} subscribers on #, QoS 0, ~1 KB bodies; Mote: uplinks into the AS core, history on`;
const { text, markdown } = report(results, title);
process.stdout.write(`${text}\n\nfinished in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);

const dir = fileURLToPath(new URL('../../bench/results/', import.meta.url));
mkdirSync(dir, { recursive: true });
writeFileSync(`${dir}latest.json`, `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(`${dir}latest.md`, `${markdown}\n`);
process.exit(0);
