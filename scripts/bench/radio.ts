/**
 * Scenario `radio` (issue 13): the whole uplink path from the air (radio-path.ts) — G emulated
 * packet forwarders sending N ABP devices' real LoRaWAN data uplinks over UDP to the built server,
 * which acknowledges, merges (200 ms window), checks and decrypts each frame and publishes it to
 * 50 subscribers on `#`. The fan-out step's stepped rates and sustained rule, as system
 * `mote-radio`, then a p99 run at a fixed rate so runs compare whatever the steps reached.
 */
import { best, type FanoutOptions, type FanoutStep, runSteps } from './fanout';
import { openRadioPath } from './radio-path';

export interface RadioOptions extends FanoutOptions {
  gateways: number;
  devices: number;
  /** The rate of the p99 run, fixed so runs compare whatever the steps reached. */
  latencyRate: number;
}

export async function runRadio(opts: RadioOptions, log: (s: string) => void) {
  log(`radio: ${opts.gateways} gateways, ${opts.devices} devices, steps ${opts.rates.join(', ')} uplinks/s`);
  const path = await openRadioPath('mote-radio', opts, log);
  try {
    const steps = await runSteps(path.target, opts, log, { latencyRate: () => opts.latencyRate });
    const latency = steps.find((s: FanoutStep) => s.kind === 'latency');
    const top = steps.filter((s) => s.kind === 'step').at(-1);
    return {
      gateways: opts.gateways,
      devices: opts.devices,
      subscribers: opts.subscribers,
      max_uplinks_per_s: best(steps),
      /** The last step: the first one not sustained, or the highest rate tried. */
      top_step: top
        ? {
            rate: top.rate,
            delivered_uplinks_per_s: top.delivered_per_s / opts.subscribers,
            sustained: top.sustained,
          }
        : null,
      /** Server CPU per uplink at the first step, µs (all threads): the figure noise moves least. */
      server_cpu_us_per_uplink: steps[0]?.server_cpu_us_per_msg ?? null,
      p99_at_uplinks_per_s: latency?.rate ?? null,
      p50_ms: latency?.p50_ms ?? null,
      p99_ms: latency?.p99_ms ?? null,
      loss_pct_at_p99_rate: latency?.loss_pct ?? null,
      push_ack_pct_min: Math.min(...steps.map((s) => s.push_ack_pct ?? 0)),
      /** Datagrams dropped at the server's socket during the one-uplink-per-device warm-up. */
      udp_drops_warmup: path.warmupDrops,
      frames_prepared_late: await path.preparedLate(),
      steps,
    };
  } finally {
    await path.stop();
  }
}
