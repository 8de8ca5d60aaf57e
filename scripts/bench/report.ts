/**
 * What `npm run bench` prints: the fan-out steps (of each scenario's median run), every headline
 * figure as the median of the runs with min–max, the load average at each run, and the targets.
 */
import type { FanoutStep } from './fanout';
import { range } from './runs';
import { type Cell, fmt, markdown, table } from './table';
import { TARGET_HEAD, type TargetRow, targetCells, targets } from './targets';

type Section = Record<string, unknown> | undefined;
const num = (v: unknown): Cell =>
  typeof v === 'number' || v === null ? v : typeof v === 'boolean' ? v : undefined;

export const STEP_HEAD = [
  'system',
  'step msg/s',
  'sent/s',
  'delivered/s',
  'loss %',
  'p50 ms',
  'p99 ms',
  'server CPU %',
  'server waits %',
  'server RSS MB',
  'subs CPU %',
  'pub CPU %',
  'PUSH_ACK %',
  'UDP drops',
];
const KIND_LABEL = { step: '', overload: ' (overload)', latency: ' (p99 run)' };
const stepRow = (s: FanoutStep): Cell[] => [
  s.system,
  s.kind === 'step' ? s.rate : `${fmt(s.rate)}${KIND_LABEL[s.kind]}`,
  s.achieved_rate,
  s.delivered_per_s,
  s.loss_pct,
  s.p50_ms,
  s.p99_ms,
  s.server_cpu_pct,
  s.server_runqueue_wait_pct,
  s.server_rss_mb,
  s.subscribers_cpu_pct,
  s.publisher_cpu_pct,
  s.push_ack_pct,
  s.udp_drops,
];

/** Mote's rows, then the radio scenario's, then mosquitto's: each scenario's median run. */
export function stepRows(r: Record<string, Section>): Cell[][] {
  const stepsOf = (x: Section) => (x?.steps as FanoutStep[] | undefined) ?? [];
  const order = { mote: 0, 'mote-radio': 1, mosquitto: 2 };
  return [...stepsOf(r.fanout), ...stepsOf(r.radio)]
    .sort((a, b) => order[a.system] - order[b.system])
    .map(stepRow);
}

/** The figures behind the targets and beside them: [scenario, key, what it is]. */
const SUMMARY: [string, string, string][] = [
  ['fanout', 'mote_max_msgs_per_s', 'highest step with < 1 % loss and p99 < 1 s; target ≥ 10 000'],
  ['fanout', 'mosquitto_max_msgs_per_s', 'same, through mosquitto'],
  ['fanout', 'mote_p99_ms', "p99 at half of mosquitto's best, PUSH_DATA sent → received"],
  ['fanout', 'mote_p99_ms_past_merge_window', 'the same less the 200 ms merge window'],
  ['fanout', 'mosquitto_p99_ms', 'same rate, through mosquitto'],
  ['fanout', 'rss_mb_before_overload', 'server RSS before the overload step'],
  ['fanout', 'rss_mb_after_overload', 'at its end'],
  ['fanout', 'rss_mb_peak_after_overload', 'highest over the 30 s after it'],
  ['fanout', 'rss_mb_recovered', '30 s after it'],
  ['fanout', 'rss_recovery_s', 'seconds after which it stayed within 2× of before (none: not back by 30 s)'],
  ['radio', 'max_uplinks_per_s', 'emulated gateways over UDP, same rule and subscribers; target ≥ 5 000'],
  ['radio', 'p99_ms', 'PUSH_DATA sent → up received at the p99 rate, merge window included'],
  ['radio', 'server_cpu_us_per_uplink', 'server CPU per uplink at the first step (all threads)'],
  ['radio', 'push_ack_pct_min', 'PUSH_ACKs ÷ PUSH_DATAs, lowest step'],
  ['storm', 'connections', 'API-key CONNECTs accepted'],
  ['storm', 'seconds', 'until all connected; target ≤ 1.5 × mosquitto'],
  ['storm', 'kb_per_connection_storm', 'idle RSS per connection over the storm'],
  ['storm', 'kb_per_connection', 'idle RSS per further connection; target ≤ 6'],
  ['storm', 'mosquitto_seconds', 'same storm, anonymous, through mosquitto'],
  ['storm', 'mosquitto_kb_per_connection', 'same, mosquitto'],
  ['downlink', 'p50_ms', 'down/push → down/queued at 1 000/s'],
  ['downlink', 'p99_ms', 'target ≤ 5'],
  ['downlink', 'mosquitto_relay_p99_ms', 'mosquitto relaying the same pushes'],
  ['downlink', 'high_p99_ms', 'the same at 5 000/s; target ≤ 20'],
  ['downlink', 'mosquitto_relay_high_p99_ms', 'mosquitto relaying them'],
  ['downlink', 'loop_stall_max_ms', "the server's longest event-loop stall over both; target ≤ 20"],
  ['cli', 'bundle_ms', '`mote --help`, the built bundle'],
  ['browser', 'long_tasks_over_50ms', 'during the stream; target 0'],
  ['browser', 'long_tasks_over_100ms', 'during the stream'],
  ['browser', 'heap_mb_start', 'after GC'],
  ['browser', 'heap_mb_mid', 'after GC, two thirds into the stream'],
  ['browser', 'heap_mb_end', 'after GC; target: flat'],
  ['browser', 'rows_shown', 'target ≤ 10 000 (the cap)'],
];

function summaryRows(r: Record<string, Section>): Cell[][] {
  return SUMMARY.filter(([scenario]) => r[scenario]).map(([scenario, key, what]) => {
    const section = r[scenario];
    const note = typeof section?.note === 'string' ? ` — ${section.note}` : '';
    return [`${scenario}.${key}`, num(section?.[key]), range(section, key, (v) => fmt(v)), `${what}${note}`];
  });
}

/** Per scenario: how many runs, the load average as each started, and any note (failures). */
export function runRows(r: Record<string, Section>): Cell[][] {
  return Object.entries(r)
    .filter(([name, s]) => name !== 'meta' && name !== 'targets' && s && typeof s.runs === 'number')
    .map(([name, s]) => [
      name,
      s?.runs as number,
      ((s?.load_averages as unknown[] | undefined) ?? [])
        .map((l) => (typeof l === 'number' && Number.isFinite(l) ? l.toFixed(2) : '?'))
        .join(', '),
      typeof s?.note === 'string' ? s.note : '',
    ]);
}
export const RUN_HEAD = ['scenario', 'runs', 'load average at each run', 'note'];

/** Plainly which targets the medians meet, miss, or cannot tell. */
export function verdict(rows: TargetRow[]): string {
  const names = (met: boolean | null) =>
    rows.filter((t) => t.met === met).map((t) => t.key.replaceAll('_', ' '));
  const list = (xs: string[]) => (xs.length > 0 ? xs.join(', ') : 'none');
  return `Targets met on the median: ${list(names(true))}. Not met: ${list(names(false))}. Not told by this run: ${list(names(null))}.`;
}

export function report(r: Record<string, Section>, title: string): { text: string; markdown: string } {
  const steps = stepRows(r);
  const rows = targets(r);
  const goals = rows.map(targetCells);
  const summary = summaryRows(r);
  const runs = runRows(r);
  const parts = [];
  if (steps.length > 0) parts.push(table(`Fan-out (median run): ${title}`, STEP_HEAD, steps));
  parts.push(table('Summary (median of the runs)', ['key', 'median', 'min–max', 'note'], summary));
  parts.push(table('Runs', RUN_HEAD, runs));
  parts.push(table('Targets (issues #6, 13, 18)', TARGET_HEAD, goals));
  parts.push(`\n${verdict(rows)}`);
  return {
    text: parts.join('\n'),
    markdown: [
      markdown(TARGET_HEAD, goals),
      '',
      verdict(rows),
      '',
      markdown(RUN_HEAD, runs),
      '',
      markdown(STEP_HEAD, steps),
      '',
      markdown(['key', 'median', 'min–max', 'note'], summary),
    ].join('\n'),
  };
}
