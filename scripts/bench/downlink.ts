/**
 * Scenario 3, downlink path: MQTT `down/push` → the built server (validate, persist, publish) →
 * `down/queued` back to an MQTT subscriber, 100 devices registered over HTTP; p50/p99 at two fixed
 * push rates, and the longest stall of the server's event loop under them. The reference is the
 * one thing mosquitto does with the same pushes at the same rate: relay them to a subscriber.
 */
import { Histogram } from './hist';
import { startMosquitto } from './mosquitto';
import { startProduct } from './product';
import { registerDevices } from './provision';
import { cpuMeter, spawnWorker } from './rpc';

export interface DownlinkOptions {
  rate: number;
  /** A second, higher rate (issue 18: p99 ≤ 20 ms at 5 000/s), on the same server after `rate`. */
  highRate: number;
  seconds: number;
}

interface RunResult {
  sent: number;
  seconds: number;
  received: number;
  /** Pushes answered with `down/failed` (Mote only). */
  failed: number;
  firstFailure?: string;
  histogram: number[];
}

interface DownlinkTarget {
  pid: number;
  port: number;
  credentials?: { username: string; password: string };
  answer: 'down/queued' | 'down/push';
  applicationId: string;
  deviceIds: string[];
  /** The server's event loop, watched over both rates (Mote only). */
  watchEventLoop?: () => Promise<() => Promise<number>>;
}

async function measure(target: DownlinkTarget, opts: DownlinkOptions) {
  const client = spawnWorker('downlink-client.ts');
  try {
    await client.call('open', {
      port: target.port,
      ...target.credentials,
      answer: target.answer,
      applicationId: target.applicationId,
      deviceIds: target.deviceIds,
      // Mote reads at most 1 000 PUBLISH/s per connection (server/mqtt/options.ts publishRate):
      // 4 pushers at 5 000/s were throttled through TCP once their burst was spent, 8 stay under.
      pushers: 8,
    });
    // Warm-up (JIT, SQLite page cache), not recorded.
    await client.call('run', { rate: opts.rate, seconds: 0.5 });
    const at = async (rate: number) => {
      const cpu = cpuMeter([target.pid, client.pid]);
      const r = await client.call<RunResult>('run', { rate, seconds: opts.seconds });
      const usage = cpu();
      const hist = new Histogram();
      hist.merge(r.histogram);
      return {
        rate,
        pushed: r.sent,
        achieved_rate: r.sent / r.seconds,
        answers_received: r.received,
        failed: r.failed,
        first_failure: r.firstFailure ?? null,
        p50_ms: hist.percentileMs(50),
        p99_ms: hist.percentileMs(99),
        server_cpu_pct: usage[0],
        // Steadier than p99 from run to run on a shared machine: compare changes by this.
        server_cpu_us_per_push: r.sent > 0 ? ((usage[0] / 100) * r.seconds * 1e6) / r.sent : null,
        client_cpu_pct: usage[1],
      };
    };
    const stalls = await target.watchEventLoop?.();
    const base = await at(opts.rate);
    const high = await at(opts.highRate);
    return {
      ...base,
      high_rate: high.rate,
      high_pushed: high.pushed,
      high_answers_received: high.answers_received,
      high_failed: high.failed,
      high_first_failure: high.first_failure,
      high_p50_ms: high.p50_ms,
      high_p99_ms: high.p99_ms,
      high_server_cpu_pct: high.server_cpu_pct,
      high_server_cpu_us_per_push: high.server_cpu_us_per_push,
      loop_stall_max_ms: stalls ? await stalls() : null,
    };
  } finally {
    await client.stop();
  }
}

async function downlinkMote(opts: DownlinkOptions) {
  const product = await startProduct();
  try {
    const deviceIds = await registerDevices(product, 100);
    return await measure(
      {
        pid: product.pid,
        port: product.mote.mqttPort,
        credentials: { username: product.applicationId, password: product.key },
        answer: 'down/queued',
        applicationId: product.applicationId,
        deviceIds,
        watchEventLoop: () => product.watchEventLoop(),
      },
      opts,
    );
  } finally {
    await product.stop();
  }
}

async function downlinkMosquitto(opts: DownlinkOptions) {
  const broker = await startMosquitto();
  try {
    const deviceIds = Array.from({ length: 100 }, (_, i) => `dev-${i}`);
    return await measure(
      { pid: broker.pid, port: broker.port, answer: 'down/push', applicationId: 'bench-app', deviceIds },
      opts,
    );
  } finally {
    await broker.stop();
  }
}

const ratio = (a: number | null, b: number | null) => (a !== null && b !== null && b > 0 ? a / b : null);

export async function runDownlink(opts: DownlinkOptions, log: (s: string) => void) {
  log(`downlink: down/push → down/queued at ${opts.rate}/s, then ${opts.highRate}/s, ${opts.seconds} s each`);
  const mote = await downlinkMote(opts);
  const ms = (v: number | null) => `${v?.toFixed(2)} ms`;
  const failures = (n: number, first: string | null) => (n > 0 ? `, ${n} down/failed (first: ${first})` : '');
  log(
    `  mote: ${mote.answers_received}/${mote.pushed} queued${failures(mote.failed, mote.first_failure)}, p50 ${ms(mote.p50_ms)}, p99 ${ms(mote.p99_ms)}, server cpu ${mote.server_cpu_pct.toFixed(0)} % (${mote.server_cpu_us_per_push?.toFixed(0)} µs a push); at ${mote.high_rate}/s ${mote.high_answers_received}/${mote.high_pushed}${failures(mote.high_failed, mote.high_first_failure)}, p50 ${ms(mote.high_p50_ms)}, p99 ${ms(mote.high_p99_ms)}, server cpu ${mote.high_server_cpu_pct.toFixed(0)} % (${mote.high_server_cpu_us_per_push?.toFixed(0)} µs a push); longest event-loop stall ${ms(mote.loop_stall_max_ms)}`,
  );
  const mosquitto = await downlinkMosquitto(opts);
  log(
    `  mosquitto relaying the same pushes: ${mosquitto.answers_received}/${mosquitto.pushed}, p50 ${ms(mosquitto.p50_ms)}, p99 ${ms(mosquitto.p99_ms)}; at ${mosquitto.high_rate}/s p99 ${ms(mosquitto.high_p99_ms)}`,
  );
  return {
    ...mote,
    mosquitto_relay_p50_ms: mosquitto.p50_ms,
    mosquitto_relay_p99_ms: mosquitto.p99_ms,
    mosquitto_relay_high_p99_ms: mosquitto.high_p99_ms,
    p99_ratio_vs_mosquitto_relay: ratio(mote.p99_ms, mosquitto.p99_ms),
    mosquitto,
  };
}
