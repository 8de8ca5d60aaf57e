/**
 * Scenario 3, downlink path: MQTT `down/push` → the built server (validate, persist, publish) →
 * `down/queued` back to an MQTT subscriber, 100 devices registered over HTTP; p50/p99 at a fixed push rate. The reference is the
 * one thing mosquitto does with the same pushes at the same rate: relay them to a subscriber.
 */
import { Histogram } from './hist';
import { startMosquitto } from './mosquitto';
import { startProduct } from './product';
import { registerDevices } from './provision';
import { cpuMeter, spawnWorker } from './rpc';

export interface DownlinkOptions {
  rate: number;
  seconds: number;
}

interface RunResult {
  sent: number;
  seconds: number;
  received: number;
  histogram: number[];
}

interface DownlinkTarget {
  pid: number;
  port: number;
  credentials?: { username: string; password: string };
  answer: 'down/queued' | 'down/push';
  applicationId: string;
  deviceIds: string[];
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
      pushers: 4,
    });
    // Warm-up (JIT, SQLite page cache), not recorded.
    await client.call('run', { rate: opts.rate, seconds: 0.5 });
    const cpu = cpuMeter([target.pid, client.pid]);
    const r = await client.call<RunResult>('run', opts);
    const usage = cpu();
    const hist = new Histogram();
    hist.merge(r.histogram);
    return {
      rate: opts.rate,
      pushed: r.sent,
      achieved_rate: r.sent / r.seconds,
      answers_received: r.received,
      p50_ms: hist.percentileMs(50),
      p99_ms: hist.percentileMs(99),
      server_cpu_pct: usage[0],
      client_cpu_pct: usage[1],
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
  log(`downlink: down/push → down/queued at ${opts.rate}/s for ${opts.seconds} s`);
  const mote = await downlinkMote(opts);
  log(
    `  mote: ${mote.answers_received}/${mote.pushed} queued, p50 ${mote.p50_ms?.toFixed(2)} ms, p99 ${mote.p99_ms?.toFixed(2)} ms, server cpu ${mote.server_cpu_pct.toFixed(0)} %`,
  );
  const mosquitto = await downlinkMosquitto(opts);
  log(
    `  mosquitto relaying the same pushes: ${mosquitto.answers_received}/${mosquitto.pushed}, p50 ${mosquitto.p50_ms?.toFixed(2)} ms, p99 ${mosquitto.p99_ms?.toFixed(2)} ms`,
  );
  return {
    ...mote,
    mosquitto_relay_p50_ms: mosquitto.p50_ms,
    mosquitto_relay_p99_ms: mosquitto.p99_ms,
    p99_ratio_vs_mosquitto_relay: ratio(mote.p99_ms, mosquitto.p99_ms),
    mosquitto,
  };
}
