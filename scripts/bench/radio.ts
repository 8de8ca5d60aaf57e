/**
 * Scenario `radio` (issue 13): the whole uplink path from the air. G emulated packet forwarders
 * in their own process (gateway.ts) send N ABP devices' real LoRaWAN data uplinks as PUSH_DATA
 * over UDP to the Mote host's gateway server, which acknowledges, merges (200 ms window), hands
 * each frame to the network layer and on to 50 subscribers on `#`. The fan-out step's stepped
 * rates and sustained rule, as system `mote-radio`; latency from the PUSH_DATA's send time (the
 * stamp in FRMPayload) to a subscriber's receipt, so it includes the merge window.
 */
import { readFileSync } from 'node:fs';
import { best, type FanoutOptions, type FanoutStep, runSteps } from './fanout';
import type { ForwarderCounts } from './forwarder';
import type { HostInfo } from './host';
import type { RadioSetup } from './radioHost';
import { profileArgs, sleep, spawnWorker } from './rpc';

export interface RadioOptions extends FanoutOptions {
  gateways: number;
  devices: number;
  /** The rate of the p99 run, fixed so runs compare whatever the steps reached. */
  latencyRate: number;
}

/**
 * One uplink per device before the steps: a device's first uplink since the start is a one-off
 * (~2 ms of CPU in the ns step's figures), so this goes slowly enough that few are lost on a busy
 * machine (the log says how many were).
 */
const WARMUP_RATE = 250;

/**
 * Datagrams the kernel dropped on arrival at the UDP socket bound to `port` because its receive
 * buffer was full (the last column of /proc/net/udp): lost before Mote could see them.
 */
function udpDrops(port: number): number {
  const local = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  for (const line of readFileSync('/proc/net/udp', 'utf8').split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields[1]?.endsWith(local)) return Number(fields.at(-1));
  }
  return 0;
}

export async function runRadio(opts: RadioOptions, log: (s: string) => void) {
  const host = spawnWorker('host.ts', ['--expose-gc', ...profileArgs('radio-mote')]);
  const gw = spawnWorker('gateway.ts');
  try {
    const info = await host.call<HostInfo>('info');
    const t0 = performance.now();
    const setup = await host.call<RadioSetup>('radioSetup', {
      gateways: opts.gateways,
      devices: opts.devices,
    });
    await gw.call('open', { port: info.udpPort, euis: setup.euis, devices: setup.devices });
    log(
      `radio: ${opts.gateways} gateways and ${opts.devices} ABP devices registered in ${((performance.now() - t0) / 1000).toFixed(1)} s; UDP port ${info.udpPort}`,
    );
    await gw.call('prepare', { count: opts.devices });
    await gw.call('send', { rate: WARMUP_RATE, seconds: opts.devices / WARMUP_RATE });
    await sleep(500);
    await host.call('settle');
    const warmupDrops = udpDrops(info.udpPort);
    log(
      `  warm-up: one uplink per device at ${WARMUP_RATE}/s; ${warmupDrops} datagrams dropped at the server's socket`,
    );
    let dropsBefore = 0;

    const steps = await runSteps(
      {
        system: 'mote-radio',
        serverPid: host.pid,
        publisherPid: gw.pid,
        port: info.port,
        credentials: { username: info.applicationId, password: info.key },
        prepare: async (rate, seconds) => {
          await gw.call('prepare', { count: Math.round(rate * seconds) });
          await gw.call('reset');
          dropsBefore = udpDrops(info.udpPort);
        },
        send: async (rate, seconds) => {
          const profileDir = process.env.BENCH_STEP_PROF;
          if (profileDir) await host.call('profileStart');
          const sent = await gw.call<{ sent: number; seconds: number }>('send', { rate, seconds });
          if (profileDir)
            await host.call('profileStop', { file: `${profileDir}/radio-${rate}-${Date.now()}.cpuprofile` });
          return sent;
        },
        loopDelay: () => host.call('loopDelay'),
        settle: () => host.call('settle'),
        figures: async () => {
          const c = await gw.call<ForwarderCounts>('counts');
          return {
            push_ack_pct: c.pushData > 0 ? (100 * c.pushAcks) / c.pushData : 0,
            frames_per_datagram: c.pushData > 0 ? c.frames / c.pushData : 0,
            udp_drops: udpDrops(info.udpPort) - dropsBefore,
          };
        },
      },
      opts,
      log,
      () => opts.latencyRate,
    );
    const latency = steps.find((s: FanoutStep) => s.kind === 'latency');
    const counters = await host.call<{ gs: Record<string, number>; ns: Record<string, unknown> }>(
      'radioStats',
    );
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
      p99_at_uplinks_per_s: latency?.rate ?? null,
      p50_ms: latency?.p50_ms ?? null,
      p99_ms: latency?.p99_ms ?? null,
      loss_pct_at_p99_rate: latency?.loss_pct ?? null,
      push_ack_pct_min: Math.min(...steps.map((s) => s.push_ack_pct ?? 0)),
      /** Datagrams dropped at the server's socket during the one-uplink-per-device warm-up. */
      udp_drops_warmup: warmupDrops,
      frames_prepared_late: await gw.call<number>('preparedLate'),
      /** Since the host started, warm-up included: where frames were dropped, if any were. */
      gateway_server: counters.gs,
      network_layer: counters.ns,
      steps,
    };
  } finally {
    await gw.stop();
    await host.stop();
  }
}
