/**
 * `npm run bench [-- --quick]`: Mote side by side with mosquitto on this machine. Prints tables
 * and writes bench/results/latest.json (and .md). Timings live here, never in a test's pass/fail.
 *
 * For working on one path: `--only=fanout,ns,radio,storm,downlink,cli,browser`, `--rates=2000,5000`,
 * `--step-seconds=5`, `--systems=mote` (fan-out without mosquitto). Such partial runs write
 * bench/results/partial.json instead, so latest.json always holds a whole run.
 *
 * `--cluster` runs only the scale-out comparison (scripts/bench/cluster.ts: one Mote vs three on
 * PostgreSQL + Redis) and writes bench/results/cluster.json.
 */
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { runBrowser } from './browser';
import { ensureNextBuild } from './build';
import { runCli } from './cli';
import { runCluster } from './cluster';
import { runDownlink } from './downlink';
import { runFanout } from './fanout';
import { runNs } from './ns';
import { runRadio } from './radio';
import { report } from './report';
import { runStorm } from './storm';
import { targets } from './targets';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const option = (name: string) =>
  argv
    .find((a) => a.startsWith(`--${name}=`))
    ?.slice(name.length + 3)
    .split(',');
const only = option('only');
const rates = option('rates')?.map(Number);
const stepSeconds = Number(option('step-seconds')?.[0] ?? (quick ? 1.5 : 5));
const systems = option('systems') ?? ['mote', 'mosquitto'];
const partial = only !== undefined || rates !== undefined || systems.length < 2;
const log = (s: string) => process.stderr.write(`${s}\n`);
const t0 = performance.now();
// Scenarios start the server from the repository root, wherever the bench was started.
process.chdir(fileURLToPath(new URL('../../', import.meta.url)));

if (argv.includes('--cluster')) {
  const { text, figures } = await runCluster(
    {
      uplinkRate: Number(option('rates')?.[0] ?? 200),
      downlinkRate: Number(option('rates')?.[1] ?? 200),
      seconds: Number(option('step-seconds')?.[0] ?? (quick ? 5 : 15)),
      subscribers: 6,
      devices: 30,
    },
    log,
  );
  process.stdout.write(`${text}\n\nfinished in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
  const out = fileURLToPath(new URL('../../bench/results/', import.meta.url));
  mkdirSync(out, { recursive: true });
  writeFileSync(
    `${out}cluster.json`,
    `${JSON.stringify({ date: new Date().toISOString(), ...figures }, null, 2)}\n`,
  );
  process.exit(0);
}

const fanoutOptions = {
  subscribers: 50,
  processes: 2,
  rates: rates ?? (quick ? [1_000, 2_000, 5_000] : [1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000]),
  stepSeconds,
  systems,
};

const commit = () => {
  try {
    return execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
};
/** The 1-minute load average: os.loadavg() always has three figures (zeros where unknown). */
const load1 = () => loadavg()[0] ?? 0;
const meta: Record<string, unknown> = {
  date: new Date().toISOString(),
  mode: quick ? 'quick' : 'full',
  node: process.version,
  cpus: `${cpus().length} × ${cpus()[0]?.model ?? '?'}`,
  commit: commit(),
  /** Anything else running skews every figure: the 1-minute load average before the run. */
  load_average_at_start: load1(),
};
const results: Record<string, Record<string, unknown>> = { meta };
if (load1() > 1)
  log(`note: load average is ${load1().toFixed(1)} — other work on this machine will skew the figures`);

const seconds: Record<string, number> = {};
const loads: Record<string, number> = {};
meta.scenario_seconds = seconds;
meta.load_average_per_scenario = loads;
const wanted = (name: string) => !only || only.includes(name);
const num = (v: unknown) => (typeof v === 'number' && v > 0 ? v : undefined);

/** A scenario that fails is reported as such; the others still run. */
async function scenario(name: string, run: () => Promise<Record<string, unknown>>) {
  if (!wanted(name)) return;
  const start = performance.now();
  loads[name] = load1();
  try {
    results[name] = await run();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    log(`  ${name} failed: ${message}`);
    results[name] = { note: `failed: ${message.split('\n')[0]}` };
  }
  seconds[name] = (performance.now() - start) / 1000;
}

if (wanted('browser')) {
  try {
    meta.next_build_seconds = ensureNextBuild(log);
  } catch (e) {
    log(String(e));
  }
}

await scenario('fanout', () => runFanout(fanoutOptions, log));
await scenario('ns', () =>
  runNs(
    {
      ...fanoutOptions,
      // An uplink through the network layer costs more than one put into the AS: lower steps first.
      rates: rates ?? [200, 500, ...fanoutOptions.rates],
      devices: 1_000,
      microUplinks: quick ? 1_000 : 5_000,
      // One uplink per device first: a device's first uplink since the start is a one-off.
      warmup: 1_000,
      // Where the fan-out step took its p99, with its fallback: half its first step.
      latencyRate: num(results.fanout?.p99_at_msgs_per_s) ?? Math.round((fanoutOptions.rates[0] ?? 0) / 2),
    },
    log,
  ),
);
await scenario('radio', () =>
  runRadio(
    {
      ...fanoutOptions,
      rates: rates ?? (quick ? [1_000, 2_000, 5_000] : [1_000, 2_000, 5_000, 10_000]),
      gateways: 8,
      devices: quick ? 2_000 : 5_000,
      latencyRate: 500,
    },
    log,
  ),
);
await scenario('storm', () => runStorm({ connections: 10_000, processes: 4 }, log));
await scenario('downlink', () => runDownlink({ rate: 1_000, seconds: quick ? 2.5 : 10 }, log));
await scenario('cli', () => runCli({ runs: quick ? 5 : 11 }, log));
await scenario('browser', () => runBrowser({ rate: 500, seconds: quick ? 8 : 30 }, log));

const title = `${fanoutOptions.subscribers} subscribers on #, QoS 0, ~1 KB bodies; mote: uplinks into the AS core, mote-ns: LoRaWAN frames from 1,000 ABP devices through the network layer; mote-radio: the same kind of frames from ${quick ? '2,000' : '5,000'} devices via 8 emulated gateways over UDP (pub CPU: the gateways' process); history on`;
const { text, markdown } = report(results, title);
results.targets = Object.fromEntries(targets(results).map(({ key, ...t }) => [key, t]));
meta.load_average_at_end = load1();
meta.total_seconds = (performance.now() - t0) / 1000;
const build = Number(meta.next_build_seconds ?? 0);
process.stdout.write(
  `${text}\n\nfinished in ${Number(meta.total_seconds).toFixed(0)} s${build > 0 ? ` (${build.toFixed(0)} s of it building Next)` : ''}; load average ${Number(meta.load_average_at_start).toFixed(1)} at start, ${Number(meta.load_average_at_end).toFixed(1)} at end\n`,
);

const dir = fileURLToPath(new URL('../../bench/results/', import.meta.url));
mkdirSync(dir, { recursive: true });
const name = partial ? 'partial' : 'latest';
writeFileSync(`${dir}${name}.json`, `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(`${dir}${name}.md`, `${markdown}\n`);
process.exit(0);
