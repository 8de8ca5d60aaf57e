/**
 * Mote's uplink path as the bench drives it (issue 18): the built server (product.ts), G gateways
 * and N ABP devices registered over HTTP (provision.ts), and a gateway worker (gateway.ts, its own
 * process) playing G Semtech UDP packet forwarders that send the devices' real LoRaWAN data
 * uplinks as PUSH_DATA. Nothing reaches the server but datagrams, MQTT and HTTP. The fan-out and
 * radio scenarios step rates through it (fanout.ts `runSteps`); latency runs from the PUSH_DATA's
 * send time (the stamp in FRMPayload) to a subscriber's receipt, so it includes the gateway
 * server's 200 ms merge window.
 */
import { readFileSync } from 'node:fs';
import type { FanoutStep, Target } from './fanout';
import type { ForwarderCounts } from './forwarder';
import { type Product, startProduct } from './product';
import { registerAbpDevices, registerGateways } from './provision';
import { sleep, spawnWorker } from './rpc';

export interface RadioPathOptions {
  gateways: number;
  devices: number;
}

/** The gateway server holds every frame this long for copies from other gateways (server/gs/merge.ts). */
export const MERGE_WINDOW_MS = 200;

/**
 * One uplink per device before the steps: a device's first uplink since the start is a one-off,
 * so this goes slowly enough that few are lost on a busy machine (the log says how many were).
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

export interface RadioPath {
  product: Product;
  target: Target;
  /** Datagrams dropped at the server's socket during the warm-up. */
  warmupDrops: number;
  preparedLate(): Promise<number>;
  stop(): Promise<void>;
}

export async function openRadioPath(
  system: FanoutStep['system'],
  opts: RadioPathOptions,
  log: (s: string) => void,
): Promise<RadioPath> {
  const product = await startProduct();
  const gw = spawnWorker('gateway.ts');
  const stop = async () => {
    await gw.stop();
    await product.stop();
  };
  try {
    const udpPort = product.mote.udpPort;
    const t0 = performance.now();
    const euis = await registerGateways(product, opts.gateways);
    const devices = await registerAbpDevices(product, opts.devices);
    await gw.call('open', { port: udpPort, euis, devices });
    log(
      `  ${system}: ${opts.gateways} gateways and ${opts.devices} ABP devices registered over HTTP in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    await gw.call('prepare', { count: opts.devices });
    await gw.call('send', { rate: WARMUP_RATE, seconds: opts.devices / WARMUP_RATE });
    await sleep(500);
    const warmupDrops = udpDrops(udpPort);
    log(
      `  warm-up: one uplink per device at ${WARMUP_RATE}/s; ${warmupDrops} datagrams dropped at the server's socket`,
    );
    let dropsBefore = 0;
    const target: Target = {
      system,
      serverPid: product.pid,
      publisherPid: gw.pid,
      port: product.mote.mqttPort,
      credentials: { username: product.applicationId, password: product.key },
      fixedDelayMs: MERGE_WINDOW_MS,
      prepare: async (rate, seconds) => {
        await gw.call('prepare', { count: Math.round(rate * seconds) });
        await gw.call('reset');
        dropsBefore = udpDrops(udpPort);
      },
      send: (rate, seconds) => gw.call<{ sent: number; seconds: number }>('send', { rate, seconds }),
      figures: async () => {
        const c = await gw.call<ForwarderCounts>('counts');
        return {
          push_ack_pct: c.pushData > 0 ? (100 * c.pushAcks) / c.pushData : 0,
          frames_per_datagram: c.pushData > 0 ? c.frames / c.pushData : 0,
          udp_drops: udpDrops(udpPort) - dropsBefore,
        };
      },
    };
    return { product, target, warmupDrops, preparedLate: () => gw.call<number>('preparedLate'), stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
