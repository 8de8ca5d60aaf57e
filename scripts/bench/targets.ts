/**
 * Issue #6's targets (and issue 13's radio target), each figure beside mosquitto's from the same run where mosquitto has one.
 * `met` is null where the run cannot tell (a scenario failed, or --quick never reached the cap).
 */
import { fmt } from './table';

type Section = Record<string, unknown>;
export interface TargetRow {
  key: string;
  figure: string;
  mote: string;
  mosquitto: string;
  ratio: number | null;
  target: string;
  met: boolean | null;
}

const n = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const show = (v: unknown, unit = '') => (n(v) === null ? '—' : `${fmt(n(v))}${unit}`);
const check = (v: number | null, ok: (x: number) => boolean) => (v === null ? null : ok(v));
const ROW_CAP = 10_000;

export function targets(r: Record<string, Section | undefined>): TargetRow[] {
  const f = r.fanout ?? {};
  const s = r.storm ?? {};
  const d = r.downlink ?? {};
  const b = r.browser ?? {};
  const ns = r.ns ?? {};
  const radio = r.radio ?? {};
  const cli = r.cli ?? {};
  const ratio = (x: unknown, y: unknown) => {
    const [a, c] = [n(x), n(y)];
    return a !== null && c !== null && c > 0 ? a / c : null;
  };
  const capReached = (n(b.events_streamed) ?? 0) > ROW_CAP;
  const heapFlat = n(b.heap_mb_end) !== null && n(b.heap_mb_mid) !== null;
  return [
    {
      key: 'fanout_throughput',
      figure: 'fan-out: highest sustained rate (msg/s in, × subscribers out)',
      mote: show(f.mote_max_msgs_per_s),
      mosquitto: show(f.mosquitto_max_msgs_per_s),
      ratio: n(f.ratio_vs_mosquitto),
      target: '≥ 0.7 × mosquitto',
      met: check(n(f.ratio_vs_mosquitto), (x) => x >= 0.7),
    },
    {
      key: 'fanout_p99',
      figure: `fan-out: p99 at ${show(f.p99_at_msgs_per_s)} msg/s (half of mosquitto's best)`,
      mote: show(f.mote_p99_ms, ' ms'),
      mosquitto: show(f.mosquitto_p99_ms, ' ms'),
      ratio: n(f.p99_ratio_vs_mosquitto),
      target: '≤ 2 × mosquitto',
      met: check(n(f.p99_ratio_vs_mosquitto), (x) => x <= 2),
    },
    {
      key: 'ns_throughput',
      figure: 'network layer: highest sustained rate, LoRaWAN frames in (mote-ns rows)',
      mote: show(ns.max_msgs_per_s),
      mosquitto: show(f.mosquitto_max_msgs_per_s),
      ratio: ratio(ns.max_msgs_per_s, f.mosquitto_max_msgs_per_s),
      target: 'none yet (measured)',
      met: null,
    },
    {
      key: 'ns_uplink_cost',
      figure: `network layer: µs per uplink, p50 (CPU per uplink ${show(ns.cpu_us_per_uplink, ' µs')}; AS core alone ${show(ns.as_us_per_uplink_p50, ' µs')}; MIC + decrypt ${show(ns.frame_layer_us_p50, ' µs')})`,
      mote: show(ns.us_per_uplink_p50, ' µs'),
      mosquitto: '—',
      ratio: null,
      target: 'none yet (measured)',
      met: null,
    },
    {
      key: 'radio_throughput',
      figure: `radio: highest sustained rate, uplinks/s from ${show(radio.gateways)} gateways over UDP (mote-radio rows)`,
      mote: show(radio.max_uplinks_per_s),
      mosquitto: '—',
      ratio: null,
      target: '≥ 5 000/s',
      // A run whose steps never reached 5 000/s cannot say no unless a lower step failed.
      met: radioMet(radio),
    },
    {
      key: 'radio_p99',
      figure: `radio: p99 PUSH_DATA → up at ${show(radio.p99_at_uplinks_per_s)}/s (200 ms merge window included)`,
      mote: show(radio.p99_ms, ' ms'),
      mosquitto: '—',
      ratio: null,
      target: 'none yet (measured)',
      met: null,
    },
    {
      key: 'storm_time',
      figure: `connection storm: ${show(s.connections)} connected (Mote with API keys)`,
      mote: show(s.seconds, ' s'),
      mosquitto: show(s.mosquitto_seconds, ' s'),
      ratio: n(s.seconds_ratio_vs_mosquitto),
      target: '≤ 1.5 × mosquitto',
      met: check(n(s.seconds_ratio_vs_mosquitto), (x) => x <= 1.5 && (n(s.connections) ?? 0) >= 10_000),
    },
    {
      key: 'storm_memory',
      figure: `connection storm: RSS per further idle connection (over the whole storm: ${show(s.kb_per_connection_storm, ' KB')})`,
      mote: show(s.kb_per_connection, ' KB'),
      mosquitto: show(s.mosquitto_kb_per_connection, ' KB'),
      ratio: n(s.kb_ratio_vs_mosquitto),
      target: '≤ 6 KB',
      met: check(n(s.kb_per_connection), (x) => x <= 6),
    },
    {
      key: 'downlink_p99',
      figure: `down/push → down/queued p99 at ${show(d.rate)}/s (mosquitto: relaying the pushes)`,
      mote: show(d.p99_ms, ' ms'),
      mosquitto: show(d.mosquitto_relay_p99_ms, ' ms'),
      ratio: n(d.p99_ratio_vs_mosquitto_relay),
      target: '≤ 10 ms',
      met: check(n(d.p99_ms), (x) => x <= 10),
    },
    {
      key: 'browser_long_tasks',
      figure: `live table: long tasks > 100 ms (> 50 ms: ${show(b.long_tasks_over_50ms)})`,
      mote: show(b.long_tasks_over_100ms),
      mosquitto: '—',
      ratio: null,
      target: '0',
      met: check(n(b.long_tasks_over_100ms), (x) => x === 0),
    },
    {
      key: 'browser_heap',
      figure: 'live table: JS heap after GC, start → mid-run → end',
      mote: `${show(b.heap_mb_start)} → ${show(b.heap_mb_mid)} → ${show(b.heap_mb_end)} MB`,
      mosquitto: '—',
      ratio: null,
      target: 'flat once the cap is reached',
      // Flat: the end within 10 % of midway, which the full run reaches past the cap.
      met: heapFlat && capReached ? (n(b.heap_mb_end) ?? 0) <= (n(b.heap_mb_mid) ?? 0) * 1.1 : null,
    },
    {
      key: 'browser_row_cap',
      figure: `live table: rows shown after ${show(b.events_streamed)} events`,
      mote: show(b.rows_shown),
      mosquitto: '—',
      ratio: null,
      target: '≤ 10 000 (the cap)',
      met: capReached ? check(n(b.rows_shown), (x) => x <= ROW_CAP) : null,
    },
    {
      key: 'cli_call',
      figure: `CLI: one \`mote\` call, start-up (from the sources through tsx: ${show(cli.sources_ms, ' ms')}; node alone: ${show(cli.node_ms, ' ms')})`,
      mote: show(cli.bundle_ms, ' ms'),
      mosquitto: '—',
      ratio: null,
      target: '≤ 150 ms',
      met: check(n(cli.bundle_ms), (x) => x <= 150),
    },
  ];
}

const RADIO_TARGET = 5_000;

/** Met when a step at ≥ 5 000/s was sustained; not met when a step at or below it was not. */
function radioMet(radio: Section): boolean | null {
  const steps = (radio.steps as { kind: string; rate: number; sustained: boolean }[] | undefined) ?? [];
  const tried = steps.filter((s) => s.kind === 'step');
  if (tried.some((s) => s.sustained && s.rate >= RADIO_TARGET)) return true;
  if (tried.some((s) => !s.sustained && s.rate <= RADIO_TARGET)) return false;
  return null;
}

export const TARGET_HEAD = ['figure', 'Mote', 'mosquitto', 'Mote ÷ mosquitto', 'target', 'met'];
export const targetCells = (t: TargetRow) => [
  t.figure,
  t.mote,
  t.mosquitto,
  t.ratio === null ? '—' : t.ratio.toFixed(2),
  t.target,
  t.met === null ? 'n/a' : t.met ? 'yes' : 'no',
];
