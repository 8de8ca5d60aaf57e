/**
 * Scenario 1, fan-out: S subscribers on `#` (QoS 0) in separate processes. Mote as users run it
 * (the built server), its uplinks coming from emulated gateways over UDP with real frames
 * (radio-path.ts), at stepped rates; then the ~1 KB seed bodies through mosquitto from one
 * publisher. Per step: delivered msg/s, loss, latency from send to receipt, CPU and RSS of each
 * side. After the steps, Mote takes an overload step (50 000/s) and its RSS is watched for 30 s.
 */
import { Histogram } from './hist';
import { startMosquitto } from './mosquitto';
import { MERGE_WINDOW_MS, openRadioPath } from './radio-path';
import { cpuMeter, procStat, runQueueWaitSeconds, sleep, spawnWorker, type Worker } from './rpc';
import type { SubscriberReport } from './subscriber';

/** A step whose p99 exceeds this is queueing, whatever it delivered in the end. */
const MAX_SUSTAINED_P99_MS = 1000;
/** After the overload step, RSS should be back within this factor of its value before… */
export const RECOVERY_FACTOR = 2;
/** …within this many seconds (issue 18). */
export const RECOVERY_SECONDS = 30;

export interface FanoutOptions {
  subscribers: number;
  processes: number;
  rates: number[];
  stepSeconds: number;
  /** Both by default; one of them when working on a path. */
  systems: string[];
  /** Mote's overload step, after the others, for its memory after overload; none when absent. */
  overloadRate?: number;
  /** The fan-out's emulated gateways and ABP devices (radio-path.ts). */
  gateways: number;
  devices: number;
}

export interface FanoutStep {
  /** `mote`: the fan-out's own run (radio-path.ts); `mote-radio`: the radio scenario's (radio.ts). */
  system: 'mote' | 'mote-radio' | 'mosquitto';
  /**
   * `step`: one of the stepped rates; `overload`: past what it sustains, for memory after
   * overload; `latency`: the p99 run at half of mosquitto's best.
   */
  kind: 'step' | 'overload' | 'latency';
  rate: number;
  achieved_rate: number;
  delivered_per_s: number;
  loss_pct: number;
  p50_ms: number | null;
  p99_ms: number | null;
  /** Of the radio path: p99 past the merge window, read at the histogram's resolution there. */
  p99_ms_past_fixed_delay?: number | null;
  server_cpu_pct: number;
  server_rss_mb: number;
  subscribers_cpu_pct: number;
  publisher_cpu_pct: number | null;
  server_cpu_us_per_msg?: number;
  /** % of the step the server's main thread was ready to run but had no CPU (other work took it). */
  server_runqueue_wait_pct?: number;
  /** Radio: PUSH_ACKs received ÷ PUSH_DATAs sent, %, and frames per PUSH_DATA (rxpk batching). */
  push_ack_pct?: number;
  frames_per_datagram?: number;
  /** Radio: datagrams the kernel dropped at the gateway server's socket (receive buffer full). */
  udp_drops?: number;
  /** Overload step: RSS (MB) before it, at its end, and once back within 2× (or after 30 s). */
  rss_before_mb?: number;
  rss_after_mb?: number;
  /** Highest RSS (MB) over the 30 s after the step. */
  rss_peak_mb?: number;
  /** Seconds from the step's end after which RSS stayed within 2× of before; null: not back by 30 s. */
  rss_recovery_s?: number | null;
  sustained: boolean;
}

export interface Target {
  system: FanoutStep['system'];
  serverPid: number;
  publisherPid?: number;
  port: number;
  credentials?: { username: string; password: string };
  /** A delay every message waits by design (the radio path's merge window): latencies are read past it. */
  fixedDelayMs?: number;
  send(rate: number, seconds: number): Promise<{ sent: number; seconds: number }>;
  /** Untimed work before a send (building the frames' stamp-free part), outside the CPU window. */
  prepare?: (rate: number, seconds: number) => Promise<unknown>;
  /** Figures of the target's own, taken after the drain (the radio step's PUSH_ACKs). */
  figures?: () => Promise<Partial<FanoutStep>>;
}

const plus = (ms: number | null, delayMs = 0) => (ms === null ? null : ms + delayMs);

/** `--rates=` always gives one, but an options object may have none. */
function firstRate(opts: FanoutOptions): number {
  const [rate] = opts.rates;
  if (rate === undefined) throw new Error('fan-out needs at least one rate (--rates)');
  return rate;
}

export interface StepPlan {
  /** The rate of the p99 run after the steps; none when absent. */
  latencyRate?: (steps: FanoutStep[]) => number;
  /** The overload step's rate, run after the steps whatever they reached; none when absent. */
  overloadRate?: number;
}

/**
 * Reads the server's RSS each second for RECOVERY_SECONDS after the overload step: its peak, its
 * value at the end, and from when on it stayed within RECOVERY_FACTOR × `before` (null: it was
 * not back there at the end). A backlog still being worked off may grow RSS after the step, so
 * the whole window is watched, not only its first reading.
 */
async function watchRecovery(pid: number, before: number) {
  const t0 = performance.now();
  let peak = 0;
  let since: number | null = null;
  for (;;) {
    const rss = procStat(pid).rssMb;
    const seconds = (performance.now() - t0) / 1000;
    peak = Math.max(peak, rss);
    if (rss > RECOVERY_FACTOR * before) since = null;
    else since ??= seconds;
    if (seconds >= RECOVERY_SECONDS) return { rss_after_mb: rss, rss_peak_mb: peak, rss_recovery_s: since };
    await sleep(1000);
  }
}

/**
 * Steps up through `opts.rates` until one is not sustained; then (given `overloadRate`) one step
 * past that, watching RSS come back; then (given `latencyRate`) lets any backlog clear and runs
 * once more at that rate for the latency comparison.
 */
export async function runSteps(
  target: Target,
  opts: FanoutOptions,
  log: (s: string) => void,
  plan: StepPlan = {},
): Promise<FanoutStep[]> {
  const perProcess = Math.ceil(opts.subscribers / opts.processes);
  const subs: Worker[] = Array.from({ length: opts.processes }, () => spawnWorker('subscriber.ts'));
  const steps: FanoutStep[] = [];
  try {
    await Promise.all(
      subs.map((w, i) =>
        w.call('subscribe', {
          port: target.port,
          count: perProcess,
          clientPrefix: `bench-sub-${i}`,
          filter: '#',
          offsetUs: (target.fixedDelayMs ?? 0) * 1000,
          ...target.credentials,
        }),
      ),
    );
    const reports = () => Promise.all(subs.map((w) => w.call<SubscriberReport>('report')));
    const total = async () => (await reports()).reduce((n, r) => n + r.received, 0);
    // Warm-up (JIT, socket buffers), not recorded.
    await target.prepare?.(firstRate(opts) / 2, 1);
    await target.send(firstRate(opts) / 2, 1);
    await sleep(500);
    const step = async (rate: number, kind: FanoutStep['kind']): Promise<FanoutStep> => {
      await target.prepare?.(rate, opts.stepSeconds);
      await Promise.all(subs.map((w) => w.call('reset')));
      // The server first, so the figures are typed as one for it and any number after.
      const cpu = cpuMeter([
        target.serverPid,
        ...subs.map((w) => w.pid),
        ...(target.publisherPid ? [target.publisherPid] : []),
      ]);
      const waited0 = runQueueWaitSeconds(target.serverPid);
      const sent = await target.send(rate, opts.stepSeconds);
      const usage = cpu();
      const starved = runQueueWaitSeconds(target.serverPid) - waited0;
      const rssMb = procStat(target.serverPid).rssMb;
      const expected = sent.sent * perProcess * opts.processes;
      // Drain: wait while messages still arrive (a backlog is late, not lost), at most 3 s.
      let received = await total();
      for (let waited = 0; received < expected && waited < 3000; waited += 250) {
        await sleep(250);
        const now = await total();
        if (now === received) break;
        received = now;
      }
      const hist = new Histogram();
      for (const r of await reports()) hist.merge(r.histogram);
      const own = await target.figures?.();
      const achieved = sent.sent / sent.seconds;
      const loss = 100 * (1 - received / expected);
      const s: FanoutStep = {
        system: target.system,
        kind,
        rate,
        achieved_rate: Math.round(achieved),
        delivered_per_s: Math.round(received / sent.seconds),
        loss_pct: Math.max(0, loss),
        p50_ms: plus(hist.percentileMs(50), target.fixedDelayMs),
        p99_ms: plus(hist.percentileMs(99), target.fixedDelayMs),
        ...(target.fixedDelayMs === undefined ? {} : { p99_ms_past_fixed_delay: hist.percentileMs(99) }),
        server_cpu_pct: usage[0],
        server_rss_mb: rssMb,
        subscribers_cpu_pct: usage.slice(1, 1 + subs.length).reduce((a, b) => a + b, 0),
        publisher_cpu_pct: target.publisherPid ? (usage.at(-1) ?? null) : null,
        /** Server CPU (all threads) per message that reached the subscribers: the figure noise moves least. */
        server_cpu_us_per_msg:
          received > 0
            ? Math.round(((usage[0] ?? 0) * 1e4 * sent.seconds) / (received / opts.subscribers))
            : undefined,
        server_runqueue_wait_pct: (100 * starved) / sent.seconds,
        ...own,
        // Kept up: < 1 % lost, and no standing backlog — a server that queues for seconds and
        // delivers during the drain is late, not sustaining the rate.
        sustained:
          loss < 1 &&
          achieved >= 0.97 * rate &&
          (plus(hist.percentileMs(99), target.fixedDelayMs) ?? 0) < MAX_SUSTAINED_P99_MS,
      };
      log(
        `  ${target.system} ${kind === 'latency' ? 'latency run at ' : ''}${rate}/s: delivered ${s.delivered_per_s}/s, loss ${s.loss_pct.toFixed(2)} %, p50 ${s.p50_ms?.toFixed(1)} ms, p99 ${s.p99_ms?.toFixed(1)} ms, server cpu ${s.server_cpu_pct.toFixed(0)} %, server RSS ${s.server_rss_mb.toFixed(0)} MB, ${s.server_cpu_us_per_msg} µs server CPU per message in, server waited for a CPU ${s.server_runqueue_wait_pct?.toFixed(0)} % of the step, subscribers cpu ${s.subscribers_cpu_pct.toFixed(0)} %${s.push_ack_pct === undefined ? '' : `, PUSH_ACKs ${s.push_ack_pct.toFixed(2)} %, ${s.frames_per_datagram?.toFixed(1)} frames per PUSH_DATA, ${s.udp_drops} dropped at the server's full UDP receive buffer, gateways cpu ${s.publisher_cpu_pct?.toFixed(0)} %`}`,
      );
      return s;
    };
    for (const rate of opts.rates) {
      const s = await step(rate, 'step');
      steps.push(s);
      if (!s.sustained) break;
    }
    const latency = plan.latencyRate?.(steps);
    if (latency) {
      // The last step may have been past what the server sustains, leaving a backlog in socket
      // buffers and in the server: let it clear first (a second with no message arriving), so the
      // latency run measures a steady state (a radio step at 10 000/s left 30 s of it: the run
      // after it saw p50 4 s). It runs before the overload step, whose aftermath (a heap grown
      // several-fold, worked off over 30 s) the memory figure measures.
      let last = await total();
      for (let quiet = 0, waited = 0; quiet < 4 && waited < 90_000; waited += 250) {
        await sleep(250);
        const now = await total();
        quiet = now === last ? quiet + 1 : 0;
        last = now;
      }
      steps.push(await step(latency, 'latency'));
    }
    if (plan.overloadRate) {
      const before = procStat(target.serverPid).rssMb;
      const s = await step(plan.overloadRate, 'overload');
      Object.assign(s, { rss_before_mb: before }, await watchRecovery(target.serverPid, before));
      log(
        `  ${target.system} memory after overload: RSS ${before.toFixed(0)} MB before, ${s.server_rss_mb.toFixed(0)} MB at the end of the ${plan.overloadRate}/s step, peak ${s.rss_peak_mb?.toFixed(0)} MB over the next ${RECOVERY_SECONDS} s, ${s.rss_after_mb?.toFixed(0)} MB at their end: ${s.rss_recovery_s === null ? `not back within ${RECOVERY_FACTOR}×` : `within ${RECOVERY_FACTOR}× from ${s.rss_recovery_s?.toFixed(0)} s on`}`,
      );
      steps.push(s);
    }
  } finally {
    await Promise.all(subs.map((w) => w.stop()));
  }
  return steps;
}

export async function fanoutMote(
  opts: FanoutOptions,
  log: (s: string) => void,
  latencyRate: number,
): Promise<FanoutStep[]> {
  const path = await openRadioPath('mote', opts, log);
  try {
    return await runSteps(path.target, opts, log, {
      latencyRate: () => latencyRate,
      overloadRate: opts.overloadRate,
    });
  } finally {
    await path.stop();
  }
}

export async function fanoutMosquitto(opts: FanoutOptions, log: (s: string) => void): Promise<FanoutStep[]> {
  const broker = await startMosquitto();
  const publisher = spawnWorker('publisher.ts');
  try {
    const deviceIds = Array.from({ length: 100 }, (_, i) => `dev-${i}`);
    await publisher.call('open', { port: broker.port, applicationId: 'bench-app', deviceIds });
    return await runSteps(
      {
        system: 'mosquitto',
        serverPid: broker.pid,
        publisherPid: publisher.pid,
        port: broker.port,
        send: (rate, seconds) => publisher.call('publish', { rate, seconds }),
      },
      opts,
      log,
      { latencyRate: (steps) => halfOfBest(steps) },
    );
  } finally {
    await publisher.stop();
    await broker.stop();
  }
}

export const best = (steps: FanoutStep[]) =>
  steps.filter((s) => s.kind === 'step' && s.sustained).reduce((m, s) => Math.max(m, s.rate), 0);
/** Half of the best sustained rate, or of the first step when none was sustained. */
const halfOfBest = (steps: FanoutStep[]) => Math.round((best(steps) || (steps[0]?.rate ?? 0)) / 2);

const ratio = (a: number | null | undefined, b: number | null | undefined) =>
  typeof a === 'number' && typeof b === 'number' && b > 0 ? a / b : null;

/** The highest sustained step of each, both p99s from the latency runs, and memory after overload. */
export function summarize(mote: FanoutStep[], mosquitto: FanoutStep[]) {
  const moteMax = best(mote);
  const mosquittoMax = best(mosquitto);
  const latency = (steps: FanoutStep[]) => steps.find((s) => s.kind === 'latency');
  const overload = mote.find((s) => s.kind === 'overload');
  const moteP99 = latency(mote)?.p99_ms;
  return {
    mote_max_msgs_per_s: moteMax,
    mosquitto_max_msgs_per_s: mosquittoMax,
    ratio_vs_mosquitto: ratio(moteMax, mosquittoMax),
    p99_at_msgs_per_s: latency(mosquitto)?.rate ?? null,
    mote_p99_ms: latency(mote)?.p99_ms ?? null,
    mosquitto_p99_ms: latency(mosquitto)?.p99_ms ?? null,
    mote_loss_pct_at_p99_rate: latency(mote)?.loss_pct ?? null,
    p99_ratio_vs_mosquitto: ratio(latency(mote)?.p99_ms, latency(mosquitto)?.p99_ms),
    /** Every radio uplink waits the merge window before it is published: what Mote adds past it. */
    mote_p99_ms_past_merge_window:
      latency(mote)?.p99_ms_past_fixed_delay ??
      (typeof moteP99 === 'number' ? Math.max(0, moteP99 - MERGE_WINDOW_MS) : null),
    overload_rate: overload?.rate ?? null,
    overload_achieved_rate: overload?.achieved_rate ?? null,
    rss_mb_before_overload: overload?.rss_before_mb ?? null,
    rss_mb_after_overload: overload?.server_rss_mb ?? null,
    rss_mb_peak_after_overload: overload?.rss_peak_mb ?? null,
    rss_mb_recovered: overload?.rss_after_mb ?? null,
    /** RSS 30 s after the overload step ÷ before it: the target's figure (≤ 2). */
    rss_ratio_after_overload: ratio(overload?.rss_after_mb, overload?.rss_before_mb),
    /** Seconds after which RSS stayed within 2× of before; null: not back by 30 s (or no overload step). */
    rss_recovery_s: overload?.rss_recovery_s ?? null,
    rss_recovered_within_30s: overload ? overload.rss_recovery_s !== null : null,
  };
}

/**
 * mosquitto first: half of its best sustained rate is where both p99s are taken, so Mote's
 * latency run (after its own steps) uses the same rate.
 */
export async function runFanout(opts: FanoutOptions, log: (s: string) => void) {
  log(
    `fan-out: ${opts.subscribers} subscribers, steps ${opts.rates.join(', ')} msg/s × ${opts.stepSeconds} s`,
  );
  const mosquitto = opts.systems.includes('mosquitto') ? await fanoutMosquitto(opts, log) : [];
  const mote = opts.systems.includes('mote')
    ? await fanoutMote(opts, log, halfOfBest(mosquitto) || Math.round(firstRate(opts) / 2))
    : [];
  return { ...summarize(mote, mosquitto), subscribers: opts.subscribers, steps: [...mote, ...mosquitto] };
}
