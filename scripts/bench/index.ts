/**
 * `npm run bench [-- --quick] [-- --only fanout,storm,downlink,browser]`: Mote side by side with
 * mosquitto on this machine. Prints tables and writes bench/results/latest.json. Timings live
 * here, never in a test's pass/fail.
 */
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { runBrowser } from './browser';
import { runDownlink } from './downlink';
import { fanoutMosquitto, fanoutMote, summarize } from './fanout';
import { runStorm } from './storm';
import { markdown, table } from './table';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const onlyArg = argv.find((a) => a.startsWith('--only='))?.slice(7) ?? argv[argv.indexOf('--only') + 1];
const only = argv.some((a) => a.startsWith('--only')) ? new Set((onlyArg ?? '').split(',')) : undefined;
const wanted = (name: string) => !only || only.has(name);
const log = (s: string) => process.stderr.write(`${s}\n`);
const t0 = performance.now();

const FULL_RATES = [1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000];
const fanoutOpts = quick
  ? { subscribers: 50, processes: 2, rates: [1_000, 2_000, 5_000], stepSeconds: 2 }
  : { subscribers: 50, processes: 2, rates: FULL_RATES, stepSeconds: 5 };

const results: Record<string, unknown> = {
  meta: {
    date: new Date().toISOString(),
    mode: quick ? 'quick' : 'full',
    node: process.version,
    cpus: `${cpus().length} × ${cpus()[0]?.model ?? '?'}`,
    commit: (() => {
      try {
        return execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
      } catch {
        return null;
      }
    })(),
  },
};
const out: string[] = [];

if (wanted('fanout')) {
  log(
    `fan-out: ${fanoutOpts.subscribers} subscribers, steps ${fanoutOpts.rates.join(', ')} msg/s × ${fanoutOpts.stepSeconds} s`,
  );
  const mote = await fanoutMote(fanoutOpts, log);
  const mosquitto = await fanoutMosquitto(fanoutOpts, log);
  const summary = summarize(mote.steps, mosquitto);
  results.fanout = {
    ...summary,
    inject: mote.inject,
    history: mote.history,
    subscribers: fanoutOpts.subscribers,
    steps: [...mote.steps, ...mosquitto],
  };
  const head = [
    'system',
    'step msg/s',
    'sent/s',
    'delivered/s',
    'loss %',
    'p50 ms',
    'p99 ms',
    'server CPU %',
    'server RSS MB',
    'subs CPU %',
    'pub CPU %',
  ];
  const rows = [...mote.steps, ...mosquitto].map((s) => [
    s.system,
    s.rate,
    s.achieved_rate,
    s.delivered_per_s,
    s.loss_pct,
    s.p50_ms,
    s.p99_ms,
    s.server_cpu_pct,
    s.server_rss_mb,
    s.subscribers_cpu_pct,
    s.publisher_cpu_pct,
  ]);
  out.push(
    table(
      `Fan-out (${fanoutOpts.subscribers} subscribers on #, QoS 0, ~1 KB; Mote injects via ${mote.inject})`,
      head,
      rows,
    ),
  );
  results.fanout_markdown = markdown(head, rows);
}

if (wanted('storm')) results.storm = await runStorm({ connections: 10_000, processes: 4 }, log);
if (wanted('downlink')) results.downlink = await runDownlink({ rate: 1_000, seconds: quick ? 3 : 10 }, log);
if (wanted('browser')) results.browser = await runBrowser({ rate: 500, seconds: quick ? 10 : 30 }, log);

const f = (results.fanout ?? {}) as Record<string, number | null>;
const s = (results.storm ?? {}) as Record<string, number | null>;
const d = (results.downlink ?? {}) as Record<string, number | null | string>;
const b = (results.browser ?? {}) as Record<string, number | null | string>;
const summaryRows: [string, unknown, string][] = [
  ['fanout.mote_max_msgs_per_s', f.mote_max_msgs_per_s, 'highest step with < 1 % loss'],
  ['fanout.mosquitto_max_msgs_per_s', f.mosquitto_max_msgs_per_s, 'same, through mosquitto'],
  ['fanout.ratio_vs_mosquitto', f.ratio_vs_mosquitto, 'target ≥ 0.7'],
  ['fanout.mote_p99_ms', f.mote_p99_ms, `at ${f.p99_at_msgs_per_s ?? '—'} msg/s (≈ half mosquitto's max)`],
  ['fanout.mosquitto_p99_ms', f.mosquitto_p99_ms, 'target: Mote ≤ 2 × this'],
  ['storm.connections', s.connections, 'API-key CONNECTs accepted'],
  ['storm.seconds', s.seconds, 'target ≤ 10'],
  ['storm.kb_per_connection', s.kb_per_connection, 'idle RSS per connection, target ≤ 30'],
  ['downlink.p50_ms', d.p50_ms, 'down/push → down/queued'],
  ['downlink.p99_ms', d.p99_ms, `target ≤ 10${d.note ? ` — ${d.note}` : ''}`],
  ['browser.long_tasks_over_100ms', b.long_tasks_over_100ms, `target 0${b.note ? ` — ${b.note}` : ''}`],
  ['browser.heap_mb_start', b.heap_mb_start, ''],
  ['browser.heap_mb_end', b.heap_mb_end, 'target: flat'],
];
out.push(
  table(
    'Summary',
    ['key', 'value', 'note'],
    summaryRows.map(([k, v, n]) => [k, typeof v === 'number' ? v : (v as null), n]),
  ),
);
process.stdout.write(`${out.join('\n')}\n\nfinished in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);

const dir = fileURLToPath(new URL('../../bench/results/', import.meta.url));
mkdirSync(dir, { recursive: true });
writeFileSync(`${dir}latest.json`, `${JSON.stringify(results, null, 2)}\n`);
process.exit(0);
