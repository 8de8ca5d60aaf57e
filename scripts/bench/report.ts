/** What `npm run bench` prints: the fan-out steps, then every headline figure with its target. */
import type { FanoutStep } from './fanout';
import type { NsMicro, Timing } from './nsHost';
import { type Cell, fmt, markdown, table } from './table';
import { TARGET_HEAD, targetCells, targets } from './targets';

type Section = Record<string, unknown> | undefined;
const num = (v: unknown): Cell =>
  typeof v === 'number' || v === null ? v : typeof v === 'boolean' ? v : undefined;

const STEP_HEAD = [
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
const stepRow = (s: FanoutStep): Cell[] => [
  s.system,
  s.kind === 'latency' ? `${fmt(s.rate)} (p99 run)` : s.rate,
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

const MICRO_HEAD = ['path (sequential, no subscribers)', 'p50 µs', 'p99 µs', 'mean µs', 'CPU µs'];
const MICRO_ROWS: [string, keyof NsMicro][] = [
  ['ns.handleUplink: whole network layer + AS publish', 'ns_uplink'],
  ['  warm-up: each device’s first uplink since the start', 'ns_warmup_uplink'],
  ['as.handleUplink: the same uplink, AS core only (fan-out path)', 'as_uplink'],
  ['  frame layer: decode, FCnt, MIC, decrypt', 'frame_layer'],
  ['  registry: findByDevAddr (keys opened)', 'registry_lookup'],
  ['  registry: saveCounters (FCnt written)', 'registry_save'],
  ['device side at hand-off: stamp XOR, MIC (bench cost)', 'device_send'],
];
function microRows(m: NsMicro | undefined): Cell[][] {
  if (!m) return [];
  return MICRO_ROWS.map(([label, key]) => {
    const t = m[key] as Timing;
    return [label, t.p50_us, t.p99_us, t.mean_us, t.cpu_us];
  });
}

function summaryRows(r: Record<string, Section>): Cell[][] {
  const f = r.fanout ?? {};
  const ns = r.ns ?? {};
  const radio = r.radio ?? {};
  const s = r.storm ?? {};
  const d = r.downlink ?? {};
  const b = r.browser ?? {};
  const note = (x: Record<string, unknown>) => (typeof x.note === 'string' ? ` — ${x.note}` : '');
  return [
    [
      'fanout.mote_max_msgs_per_s',
      num(f.mote_max_msgs_per_s),
      `highest step with < 1 % loss and p99 < 1 s${note(f)}`,
    ],
    ['fanout.mosquitto_max_msgs_per_s', num(f.mosquitto_max_msgs_per_s), 'same, through mosquitto'],
    ['fanout.ratio_vs_mosquitto', num(f.ratio_vs_mosquitto), 'target ≥ 0.7'],
    [
      'fanout.mote_p99_ms',
      num(f.mote_p99_ms),
      `at ${fmt(num(f.p99_at_msgs_per_s))} msg/s (half of mosquitto's max)`,
    ],
    ['fanout.mosquitto_p99_ms', num(f.mosquitto_p99_ms), 'same rate, through mosquitto'],
    ['fanout.p99_ratio_vs_mosquitto', num(f.p99_ratio_vs_mosquitto), 'target ≤ 2'],
    [
      'ns.max_msgs_per_s',
      num(ns.max_msgs_per_s),
      `LoRaWAN frames through ns.handleUplink, same rule and subscribers${note(ns)}`,
    ],
    ['ns.p99_ms', num(ns.p99_ms), `at ${fmt(num(ns.p99_at_msgs_per_s))} msg/s`],
    ['ns.us_per_uplink_p50', num(ns.us_per_uplink_p50), 'ns.handleUplink end to end, sequential'],
    ['ns.us_per_uplink_p99', num(ns.us_per_uplink_p99), 'same'],
    ['ns.as_us_per_uplink_p50', num(ns.as_us_per_uplink_p50), 'the same uplinks straight into the AS core'],
    ['ns.overhead_us_p50', num(ns.overhead_us_p50), 'what the network layer adds (p50 − p50)'],
    ['ns.cpu_us_per_uplink', num(ns.cpu_us_per_uplink), 'CPU time per ns.handleUplink (all threads)'],
    ['ns.frame_layer_us_p50', num(ns.frame_layer_us_p50), 'MIC + decrypt part of it'],
    [
      'radio.max_uplinks_per_s',
      num(radio.max_uplinks_per_s),
      `frames from ${fmt(num(radio.gateways))} emulated gateways over UDP, same rule and subscribers; target ≥ 5 000${note(radio)}`,
    ],
    [
      'radio.p99_ms',
      num(radio.p99_ms),
      `PUSH_DATA sent → up received at ${fmt(num(radio.p99_at_uplinks_per_s))}/s, 200 ms merge window included`,
    ],
    ['radio.push_ack_pct_min', num(radio.push_ack_pct_min), 'PUSH_ACKs ÷ PUSH_DATAs, lowest step'],
    ['storm.connections', num(s.connections), `API-key CONNECTs accepted${note(s)}`],
    ['storm.seconds', num(s.seconds), 'until all connected; target ≤ 1.5 × mosquitto'],
    [
      'storm.kb_per_connection_storm',
      num(s.kb_per_connection_storm),
      'idle RSS per connection over the storm',
    ],
    ['storm.kb_per_connection', num(s.kb_per_connection), 'idle RSS per further connection; target ≤ 6'],
    ['storm.mosquitto_seconds', num(s.mosquitto_seconds), 'same storm, anonymous, through mosquitto'],
    ['storm.mosquitto_kb_per_connection', num(s.mosquitto_kb_per_connection), 'same, mosquitto'],
    ['downlink.p50_ms', num(d.p50_ms), `down/push → down/queued at ${d.rate ?? '—'}/s${note(d)}`],
    ['downlink.p99_ms', num(d.p99_ms), 'target ≤ 10'],
    ['downlink.mosquitto_relay_p99_ms', num(d.mosquitto_relay_p99_ms), 'mosquitto relaying the same pushes'],
    ['browser.long_tasks_over_50ms', num(b.long_tasks_over_50ms), `during the stream${note(b)}`],
    ['browser.long_tasks_over_100ms', num(b.long_tasks_over_100ms), 'target 0'],
    ['browser.heap_mb_start', num(b.heap_mb_start), 'after GC'],
    ['browser.heap_mb_mid', num(b.heap_mb_mid), 'after GC, two thirds into the stream'],
    ['browser.heap_mb_end', num(b.heap_mb_end), 'after GC; target: flat'],
    ['browser.rows_shown', num(b.rows_shown), 'target ≤ 10 000 (the cap)'],
  ];
}

export function report(r: Record<string, Section>, title: string): { text: string; markdown: string } {
  const stepsOf = (x: Section) => (x?.steps as FanoutStep[] | undefined) ?? [];
  // Mote's rows, then the network layer's and the radio path's beside them, then mosquitto's.
  const all = [...stepsOf(r.fanout), ...stepsOf(r.ns), ...stepsOf(r.radio)];
  const order = { mote: 0, 'mote-ns': 1, 'mote-radio': 2, mosquitto: 3 };
  const steps = all.sort((a, b) => order[a.system] - order[b.system]).map(stepRow);
  const micro = microRows(r.ns?.micro as NsMicro | undefined);
  const goals = targets(r).map(targetCells);
  const parts = [];
  if (steps.length > 0) parts.push(table(`Fan-out: ${title}`, STEP_HEAD, steps));
  if (micro.length > 0) parts.push(table('Network layer: cost per uplink', MICRO_HEAD, micro));
  const rows = summaryRows(r);
  parts.push(table('Summary', ['key', 'value', 'note'], rows));
  parts.push(table('Targets (issues #6, 13)', TARGET_HEAD, goals));
  return {
    text: parts.join('\n'),
    markdown: [
      markdown(TARGET_HEAD, goals),
      '',
      markdown(STEP_HEAD, steps),
      '',
      ...(micro.length > 0 ? [markdown(MICRO_HEAD, micro), ''] : []),
      markdown(['key', 'value', 'note'], rows),
    ].join('\n'),
  };
}
