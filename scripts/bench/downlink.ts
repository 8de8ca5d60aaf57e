/**
 * Scenario 3, downlink path: MQTT `down/push` → AS core (validate, persist, publish) →
 * `down/queued` back to an MQTT subscriber; p50/p99 at a fixed push rate.
 */
import { Histogram } from './hist';
import type { HostInfo } from './host';
import { cpuMeter, profileArgs, spawnWorker } from './rpc';

export interface DownlinkOptions {
  rate: number;
  seconds: number;
}

export async function runDownlink(opts: DownlinkOptions, log: (s: string) => void) {
  log(`downlink: down/push → down/queued at ${opts.rate}/s for ${opts.seconds} s`);
  const host = spawnWorker('host.ts', ['--expose-gc', ...profileArgs('downlink-mote')]);
  const client = spawnWorker('downlink-client.ts');
  try {
    const info = await host.call<HostInfo>('info');
    await client.call('open', {
      port: info.port,
      username: info.applicationId,
      password: info.key,
      applicationId: info.applicationId,
      deviceIds: info.deviceIds,
      pushers: 4,
    });
    // Warm-up (JIT, SQLite page cache), not recorded.
    await client.call('run', { rate: opts.rate, seconds: 1 });
    await host.call('loopDelay');
    const cpu = cpuMeter([host.pid, client.pid]);
    const r = await client.call<{ sent: number; seconds: number; received: number; histogram: number[] }>(
      'run',
      opts,
    );
    const usage = cpu();
    const loop = await host.call<{ p99_ms: number; max_ms: number }>('loopDelay');
    const hist = new Histogram();
    hist.merge(r.histogram);
    const out = {
      rate: opts.rate,
      pushed: r.sent,
      achieved_rate: r.sent / r.seconds,
      queued_received: r.received,
      p50_ms: hist.percentileMs(50),
      p99_ms: hist.percentileMs(99),
      server_cpu_pct: usage[0],
      client_cpu_pct: usage[1],
      server_event_loop_delay_p99_ms: loop.p99_ms,
      server_event_loop_delay_max_ms: loop.max_ms,
    };
    log(
      `  ${r.received}/${r.sent} queued, p50 ${out.p50_ms?.toFixed(2)} ms, p99 ${out.p99_ms?.toFixed(2)} ms; server event-loop delay p99 ${loop.p99_ms.toFixed(1)} ms, max ${loop.max_ms.toFixed(1)} ms; server cpu ${out.server_cpu_pct.toFixed(0)} %`,
    );
    return out;
  } finally {
    await client.stop();
    await host.stop();
  }
}
