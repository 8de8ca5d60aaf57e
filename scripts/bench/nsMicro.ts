/**
 * The network layer's cost per uplink (scenario `ns`, before its paced steps): the same frames
 * through each path one after another, every call awaited and timed on its own, so a figure is
 * one uplink's cost with nothing else queued (no subscribers are connected yet).
 */
import type { ApplicationUplink, EndDeviceIds } from '../../lib/messages';
import type { ApplicationServer } from '../../server/as/ports';
import { decodePhyPayload, parseDataUp } from '../../server/ns/lorawan';
import type { NetworkServer, NsDeviceRegistry, NsSession } from '../../server/ns/ports';
import type { AbpDevice, Air } from './abp';
import { stampBytes } from './payload';

/** µs per call: p50, p99 and mean of the samples (wall clock, each call alone). */
export interface Timing {
  p50_us: number;
  p99_us: number;
  mean_us: number;
  /**
   * The process's CPU time (all threads: the WAL checkpointer too) over the whole loop, per call.
   * On a shared machine the wall-clock figures include time the process waited for a core; this
   * one does not, so it is the figure to divide a core by for uplinks/s.
   */
  cpu_us: number;
}

export interface NsMicro {
  uplinks: number;
  devices: number;
  /** `ns.handleUplink` end to end: decode, lookup, MIC, FCnt, decrypt, counter write, AS publish, RX window. */
  ns_uplink: Timing;
  /**
   * The warm-up's uplinks, not in `ns_uplink`: with as many as there are devices, each device's
   * first since the start, whose receive window opens a transaction (later ones find it idle).
   */
  ns_warmup_uplink: Timing;
  /** The same uplinks (same fields) through `as.handleUplink`: what the fan-out step injects. */
  as_uplink: Timing;
  /** decodePhyPayload + parseDataUp (FCnt, MIC, decrypt) on the same frames, no storage. */
  frame_layer: Timing;
  /** The registry calls alone, on the same devices: `findByDevAddr` (read, keys opened) … */
  registry_lookup: Timing;
  /** … and `saveCounters` (the FCnt written, as an uplink writes it), each awaited. */
  registry_save: Timing;
  /** The device's share at hand-off (XOR the stamp, AES-CMAC): also in the paced step's CPU. */
  device_send: Timing;
  /** ns − as at p50: what the network layer adds to an uplink. */
  overhead_p50_us: number;
  ns_uplinks_per_s_sequential: number;
  /** One core's worth of uplinks by `ns_uplink.cpu_us`: the ceiling without subscribers. */
  ns_uplinks_per_cpu_s: number;
  dropped: number;
}

export interface MicroDeps {
  ns: NetworkServer;
  as: ApplicationServer;
  registry: NsDeviceRegistry;
  applicationId: string;
  /** Writes what is batched (history, last-seen): `mote.flush`. */
  flush: () => Promise<void>;
  /** How many devices the frames go round. */
  devices: number;
  air: Air;
  /** Two gateways' metadata for the next frame (abp.ts). */
  radios: () => Parameters<NetworkServer['handleUplink']>[1];
  /** What the network layer hands the AS for this frame (nsHost.ts). */
  asInput: (
    d: AbpDevice,
    fCnt: number,
    payload: Uint8Array,
    phyBytes: number,
  ) => {
    ids: EndDeviceIds;
    up: ApplicationUplink;
  };
}

interface Sent {
  phy: Buffer;
  device: AbpDevice;
  fCnt: number;
  stamp: Buffer;
}

const hrUs = () => Number(process.hrtime.bigint()) / 1000;

/** Wall-clock samples of one loop and the CPU time it took. */
interface Samples {
  us: Float64Array;
  cpuUs: number;
}

export function timing({ us, cpuUs }: Samples): Timing {
  const sorted = us.slice().sort();
  const n = Math.max(1, sorted.length);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
  const mean = sorted.reduce((a, b) => a + b, 0) / n;
  return { p50_us: at(50), p99_us: at(99), mean_us: mean, cpu_us: cpuUs / n };
}

const cpuNow = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

/**
 * Each call timed alone. The arguments (`before`) are made for all first, outside the CPU figure;
 * `flush` writes what the calls left batched (history, last-seen) inside it, after the previous
 * loop's batch is written outside it, so each path's CPU holds its own writes.
 */
async function timeEach<T, P>(
  items: readonly T[],
  before: (item: T, i: number) => P,
  call: (prepared: P) => unknown,
  flush: () => Promise<unknown>,
): Promise<Samples> {
  const out = new Float64Array(items.length);
  const args = items.map(before);
  await flush();
  const cpu0 = cpuNow();
  for (const [i, prepared] of args.entries()) {
    const t0 = hrUs();
    await call(prepared);
    out[i] = hrUs() - t0;
  }
  await flush();
  return { us: out, cpuUs: cpuNow() - cpu0 };
}

function frameLayer(sent: readonly Sent[]): Samples {
  const out = new Float64Array(sent.length);
  const cpu0 = cpuNow();
  for (const [i, f] of sent.entries()) {
    const session = { nwkSKey: f.device.nwkSKey, appSKey: f.device.appSKey, lastFCnt: f.fCnt - 1 };
    const t0 = hrUs();
    const decoded = decodePhyPayload(f.phy);
    const parsed = decoded.ok ? parseDataUp(decoded.value, session) : undefined;
    out[i] = hrUs() - t0;
    if (!parsed?.ok) throw new Error(`frame layer refused frame ${i}`);
  }
  return { us: out, cpuUs: cpuNow() - cpu0 };
}

/** `n` frames through every path: device → frame layer → ns → as → registry. */
async function paths(d: MicroDeps, n: number) {
  d.air.prepare(n);
  const stamps = Array.from({ length: n }, (_, i) => Buffer.from(stampBytes(hrUs(), i)));
  const sent: Sent[] = [];
  const device = await timeEach(
    stamps,
    (s) => s,
    (stamp) => sent.push({ ...d.air.next(stamp), stamp }),
    d.flush,
  );
  const frame = frameLayer(sent);
  const ns = await timeEach(
    sent,
    (f) => ({ f, r: d.radios() }),
    ({ f, r }) => d.ns.handleUplink(f.phy, r),
    d.flush,
  );
  const as = await timeEach(
    sent,
    (f, i) => ({ ...d.asInput(f.device, f.fCnt, f.stamp, f.phy.length), i }),
    ({ ids, up, i }) => d.as.handleUplink(ids, up, [`gs:uplink:bench${i}`, `ns:uplink:bench${i}`]),
    d.flush,
  );
  const sessions: NsSession[] = [];
  const lookup = await timeEach(
    sent,
    (f) => f.device.devAddr,
    async (devAddr) => {
      const [found] = await d.registry.findByDevAddr(devAddr);
      if (!found?.session) throw new Error(`DevAddr ${devAddr} not found`);
      sessions.push(found.session);
    },
    d.flush,
  );
  const save = await timeEach(
    sent,
    (f, i) => ({ id: f.device.deviceId, session: sessions[i] }),
    ({ id, session }) => session && d.registry.saveCounters(d.applicationId, id, session),
    d.flush,
  );
  return { device, frame, ns, as, lookup, save };
}

export async function measureUplinkCost(d: MicroDeps, count: number, warmup: number): Promise<NsMicro> {
  const before = d.ns.stats();
  const first = await paths(d, warmup);
  const s = await paths(d, count);
  const ns = timing(s.ns);
  const as = timing(s.as);
  return {
    uplinks: count,
    devices: d.devices,
    ns_uplink: ns,
    ns_warmup_uplink: timing(first.ns),
    as_uplink: as,
    frame_layer: timing(s.frame),
    registry_lookup: timing(s.lookup),
    registry_save: timing(s.save),
    device_send: timing(s.device),
    overhead_p50_us: ns.p50_us - as.p50_us,
    ns_uplinks_per_s_sequential: 1e6 / ns.mean_us,
    ns_uplinks_per_cpu_s: 1e6 / ns.cpu_us,
    dropped: d.ns.stats().dropped - before.dropped,
  };
}
