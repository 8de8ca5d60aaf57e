/**
 * Scenario `ns`, the network layer (issue "Real devices, part 1"): N ABP devices send real
 * LoRaWAN data uplinks (encrypted, signed, FCnt counting up) into `ns.handleUplink`, which checks
 * and decrypts them and publishes through the AS core. First the per-uplink step (no
 * subscribers): K sequential uplinks, each path timed in µs. Then the fan-out step's stepped
 * rates with the same subscribers, as system `mote-ns`, beside the `mote` rows.
 */
import { best, type FanoutOptions, type FanoutStep, runSteps } from './fanout';
import type { HostInfo } from './host';
import type { NsMicro, Timing } from './nsHost';
import { profileArgs, spawnWorker } from './rpc';

export interface NsOptions extends FanoutOptions {
  devices: number;
  /** K: uplinks timed one after another per path, after `warmup` untimed ones. */
  microUplinks: number;
  warmup: number;
  /** The rate of the fan-out step's p99 run, to take this p99 at the same rate; else half the first step. */
  latencyRate?: number;
}

const us = (t: Timing) =>
  `p50 ${t.p50_us.toFixed(0)} µs, p99 ${t.p99_us.toFixed(0)} µs, CPU ${t.cpu_us.toFixed(0)} µs`;

export async function runNs(opts: NsOptions, log: (s: string) => void) {
  const host = spawnWorker('host.ts', ['--expose-gc', ...profileArgs('ns-mote')]);
  try {
    const info = await host.call<HostInfo>('info');
    const t0 = performance.now();
    await host.call('abpDevices', { count: opts.devices });
    log(`ns: ${opts.devices} ABP devices registered in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const micro = await host.call<NsMicro>('nsMicro', { count: opts.microUplinks, warmup: opts.warmup });
    log(
      `  per uplink (${micro.uplinks} sequential): ns.handleUplink ${us(micro.ns_uplink)}; as.handleUplink ${us(micro.as_uplink)}; frame layer ${us(micro.frame_layer)}; registry lookup ${us(micro.registry_lookup)}, save ${us(micro.registry_save)}; device send ${us(micro.device_send)}; dropped ${micro.dropped}`,
    );
    // The per-uplink step's history writes are behind the first paced step otherwise.
    await host.call('settle');
    const latencyRate = opts.latencyRate ?? Math.round((opts.rates[0] ?? 0) / 2);
    const steps = await runSteps(
      {
        system: 'mote-ns',
        serverPid: host.pid,
        port: info.port,
        credentials: { username: info.applicationId, password: info.key },
        prepare: (rate, seconds) => host.call('prepareFrames', { count: Math.round(rate * seconds) }),
        send: (rate, seconds) => host.call('injectFrames', { rate, seconds }),
        loopDelay: () => host.call('loopDelay'),
        settle: () => host.call('settle'),
      },
      opts,
      log,
      () => latencyRate,
    );
    const latency = steps.find((s: FanoutStep) => s.kind === 'latency');
    return {
      devices: opts.devices,
      subscribers: opts.subscribers,
      micro,
      us_per_uplink_p50: micro.ns_uplink.p50_us,
      us_per_uplink_p99: micro.ns_uplink.p99_us,
      cpu_us_per_uplink: micro.ns_uplink.cpu_us,
      as_us_per_uplink_p50: micro.as_uplink.p50_us,
      frame_layer_us_p50: micro.frame_layer.p50_us,
      overhead_us_p50: micro.overhead_p50_us,
      max_msgs_per_s: best(steps),
      p99_at_msgs_per_s: latency?.rate ?? null,
      p99_ms: latency?.p99_ms ?? null,
      loss_pct_at_p99_rate: latency?.loss_pct ?? null,
      /** Frames whose stamp-free part was built during a timed step (0 unless `prepare` fell short). */
      frames_prepared_late: await host.call<number>('framesPreparedLate'),
      steps,
    };
  } finally {
    await host.stop();
  }
}
