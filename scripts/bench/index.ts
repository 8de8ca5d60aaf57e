/**
 * `npm run bench [-- --quick]`: Mote as users run it (the built server, its own process and data
 * dir, driven over MQTT, HTTP and UDP only) side by side with mosquitto on this machine. Every
 * scenario runs 3 times (`--runs N`); each figure is the median, with min–max and the load
 * average at each run. Prints tables and writes bench/results/latest.json (and .md);
 * `--write-readme` also puts the results table in README.md between its markers. Timings live
 * here, never in a test's pass/fail.
 *
 * For working on one path: `--only fanout,radio,storm,downlink,cli,browser`, `--rates=2000,5000`,
 * `--step-seconds=5`, `--systems=mote` (fan-out without mosquitto). Such partial runs write
 * bench/results/partial.json instead, so latest.json always holds a whole run.
 *
 * `--from=bench/results/latest.json` runs nothing: it makes the tables, targets and README block
 * again from a stored whole run.
 *
 * `--cluster` runs only the scale-out comparison (scripts/bench/cluster.ts: one Mote vs three on
 * PostgreSQL + Redis) and writes bench/results/cluster.json.
 */
import { execSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { ensureSystemPackages } from '../system-packages.js';
import { runBrowser } from './browser';
import { ensureNextBuild } from './build';
import { runCli } from './cli';
import { runCluster } from './cluster';
import { runDownlink } from './downlink';
import { runFanout } from './fanout';
import { runRadio } from './radio';
import { replaceResults, resultsBlock } from './readme';
import { report } from './report';
import { aggregate, type Section } from './runs';
import { runStorm } from './storm';
import { targets } from './targets';

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`) || argv.some((a) => a.startsWith(`--${name}=`));
/** `--name=value` or `--name value`. */
const option = (name: string): string[] | undefined => {
  const eq = argv.find((a) => a.startsWith(`--${name}=`));
  const at = argv.indexOf(`--${name}`);
  const value =
    eq?.slice(name.length + 3) ?? (at >= 0 && !argv[at + 1]?.startsWith('--') ? argv[at + 1] : undefined);
  return value?.split(',');
};
const quick = flag('quick');
const only = option('only');
const rates = option('rates')?.map(Number);
const runs = Math.max(1, Number(option('runs')?.[0] ?? 3));
const stepSeconds = Number(option('step-seconds')?.[0] ?? (quick ? 1.5 : 5));
const systems = option('systems') ?? ['mote', 'mosquitto'];
const writeReadme = flag('write-readme');
const partial = only !== undefined || rates !== undefined || systems.length < 2;
const log = (s: string) => process.stderr.write(`${s}\n`);
const t0 = performance.now();
// Scenarios start the server from the repository root, wherever the bench was started.
process.chdir(fileURLToPath(new URL('../../', import.meta.url)));
if (writeReadme && partial) {
  log('--write-readme needs every scenario: leave out --only, --rates and --systems');
  process.exit(2);
}

const SCENARIOS = ['fanout', 'radio', 'storm', 'downlink', 'cli', 'browser'];
const unknown = only?.filter((s) => !SCENARIOS.includes(s)) ?? [];
if (unknown.length > 0) {
  log(`unknown scenario ${unknown.join(', ')}: pick among ${SCENARIOS.join(', ')}`);
  process.exit(2);
}
/**
 * `--from=<results.json>`: no scenario runs; the tables, targets and README block are made again
 * from a stored whole run (after the targets or the report changed, not the figures).
 */
const from = option('from')?.[0];
const wanted = (name: string) => from === undefined && (!only || only.includes(name));

// What the scenarios need from Debian, installed as `npm test` installs it (scripts/test.js).
ensureSystemPackages(
  [
    ...(wanted('browser') ? ['chromium'] : []),
    ...(['fanout', 'storm', 'downlink'].some(wanted) ? ['mosquitto'] : []),
  ],
  'the bench',
);

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
  overloadRate: 50_000,
  // 16 gateways keep each under the gateway server's per-source datagram limit at 100 000/s.
  gateways: 16,
  devices: quick ? 500 : 1_000,
};

const commit = () => {
  try {
    return execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
};
function openFilesHardLimit(): number | null {
  try {
    const v = execSync('ulimit -Hn', { encoding: 'utf8', shell: '/bin/sh' }).trim();
    return v === 'unlimited' ? 2 ** 31 : Number(v);
  } catch {
    return null;
  }
}
/** The 1-minute load average: os.loadavg() always has three figures (zeros where unknown). */
const load1 = () => loadavg()[0] ?? 0;
const meta: Record<string, unknown> = {
  date: new Date().toISOString(),
  mode: quick ? 'quick' : 'full',
  runs,
  node: process.version,
  cpus: `${cpus().length} × ${cpus()[0]?.model ?? '?'}`,
  commit: commit(),
  /** Anything else running skews every figure: the 1-minute load average before the run. */
  load_average_at_start: load1(),
  /** What bounds the connections one process can hold (the 100 000-connection target). */
  open_files_hard_limit: openFilesHardLimit(),
};
const results: Record<string, Section> = from
  ? (({ targets: _, ...stored }) => stored)(JSON.parse(readFileSync(from, 'utf8')) as Record<string, Section>)
  : { meta };
if (from) log(`results of ${String(results.meta?.date)} read from ${from}: nothing is run`);
else if (load1() > 1)
  log(`note: load average is ${load1().toFixed(1)} — other work on this machine will skew the figures`);

const seconds: Record<string, number> = {};
meta.scenario_seconds = seconds;

/**
 * Runs a scenario `runs` times and folds the runs (runs.ts); `primary` picks the median run whose
 * steps are shown. A run that fails is reported as such; the others still run.
 */
async function scenario(name: string, run: () => Promise<Section>, primary?: string) {
  if (!wanted(name)) return;
  const start = performance.now();
  const each: Section[] = [];
  for (let i = 0; i < runs; i++) {
    const load = load1();
    log(`${name}: run ${i + 1} of ${runs}, load average ${load.toFixed(2)}`);
    try {
      each.push({ ...(await run()), load_average: load });
    } catch (e) {
      // fetch's "fetch failed" says why only in its cause (ECONNRESET, ECONNREFUSED…).
      const cause = e instanceof Error && e.cause instanceof Error ? ` (${e.cause.message})` : '';
      const message = e instanceof Error ? `${e.message}${cause}` : String(e);
      log(`  ${name} failed: ${message}`);
      if (e instanceof Error && e.stack) log(e.stack.split('\n').slice(1, 6).join('\n'));
      each.push({ note: `failed: ${message.split('\n')[0]}`, load_average: load });
    }
  }
  results[name] = aggregate(each, primary);
  seconds[name] = (performance.now() - start) / 1000;
}

if (wanted('browser')) {
  try {
    meta.next_build_seconds = ensureNextBuild(log);
  } catch (e) {
    log(String(e));
  }
}

await scenario('fanout', () => runFanout(fanoutOptions, log), 'mote_max_msgs_per_s');
await scenario(
  'radio',
  () =>
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
  'max_uplinks_per_s',
);
await scenario('storm', () => runStorm({ connections: 10_000, processes: 4 }, log), 'seconds');
await scenario(
  'downlink',
  () => runDownlink({ rate: 1_000, highRate: 5_000, seconds: quick ? 2.5 : 10 }, log),
  'p99_ms',
);
await scenario('cli', () => runCli({ runs: quick ? 5 : 11 }, log), 'bundle_ms');
await scenario(
  'browser',
  () => runBrowser({ rate: 500, seconds: quick ? 8 : 30 }, log),
  'long_tasks_over_50ms',
);

const title = `${fanoutOptions.subscribers} subscribers on #, QoS 0; mote: uplinks from ${fanoutOptions.devices} ABP devices via ${fanoutOptions.gateways} emulated gateways over UDP into the built server; mote-radio: the same from ${quick ? '2,000' : '5,000'} devices via 8 gateways (pub CPU: the gateways' process); mosquitto: ~1 KB bodies from one publisher; history on`;
const { text, markdown } = report(results, title);
results.targets = Object.fromEntries(targets(results).map(({ key, ...t }) => [key, t]));
if (!from) {
  meta.load_average_at_end = load1();
  meta.total_seconds = (performance.now() - t0) / 1000;
}
const ran = results.meta ?? meta;
const build = Number(ran.next_build_seconds ?? 0);
process.stdout.write(
  `${text}\n\nfinished in ${Number(ran.total_seconds).toFixed(0)} s${build > 0 ? ` (${build.toFixed(0)} s of it building Next)` : ''}; load average ${Number(ran.load_average_at_start).toFixed(1)} at start, ${Number(ran.load_average_at_end).toFixed(1)} at end\n`,
);

const dir = fileURLToPath(new URL('../../bench/results/', import.meta.url));
mkdirSync(dir, { recursive: true });
const name = partial ? 'partial' : 'latest';
writeFileSync(`${dir}${name}.json`, `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(`${dir}${name}.md`, `${markdown}\n`);
if (writeReadme) {
  // `--write-readme=<file>` writes another copy of the README (to look at before committing).
  const target = option('write-readme')?.[0] ?? 'README.md';
  writeFileSync(target, replaceResults(readFileSync('README.md', 'utf8'), resultsBlock(results)));
  // Aligned as the repository's formatter keeps Markdown tables, or `biome ci` fails on it.
  execSync(`npx biome format --write ${JSON.stringify(target)}`, { stdio: 'ignore' });
  log(`results table written to ${target}`);
}
process.exit(0);
