/**
 * The network-layer bench inside the Mote host: ABP devices, their frames handed to
 * `ns.handleUplink` as a gateway frontend would hand them (paced, for the fan-out variant), and
 * the per-uplink step — K sequential uplinks timed end to end, beside the frame layer alone and
 * the same uplinks put straight into the AS core (the fan-out step's path).
 */
import type { ApplicationUplink, EndDeviceIds } from '../../lib/messages';
import type { ApplicationServer } from '../../server/as/ports';
import type { Logger } from '../../server/log';
import { decodePhyPayload, parseDataUp } from '../../server/ns/lorawan';
import type { NetworkServer, NsDeviceRegistry, RadioMetadata } from '../../server/ns/ports';
import { consumedAirtime, rxMetadataOf, settingsOf } from '../../server/ns/radio';
import type { DeviceStore } from '../../server/store/ports';
import { type AbpDevice, type Air, air, createAbpDevices, gatewayRadios } from './abp';
import { stampBytes } from './payload';

interface Deps {
  ns: NetworkServer;
  as: ApplicationServer;
  devices: DeviceStore;
  registry: NsDeviceRegistry;
  applicationId: string;
  now: () => Date;
  log: Logger;
}

/** µs per call: p50, p99 and mean of the samples. */
export interface Timing {
  p50_us: number;
  p99_us: number;
  mean_us: number;
}

export interface NsMicro {
  uplinks: number;
  devices: number;
  /** `ns.handleUplink` end to end: decode, lookup, MIC, FCnt, decrypt, counter write, AS publish, RX window. */
  ns_uplink: Timing;
  /**
   * The warm-up's uplinks, untimed in `ns_uplink`: with as many as there are devices, each
   * device's first since the start, whose receive window opens a transaction (later ones are idle).
   */
  ns_warmup_uplink: Timing;
  /** The same uplinks (same fields) through `as.handleUplink`: what the fan-out step injects. */
  as_uplink: Timing;
  /** decodePhyPayload + parseDataUp (FCnt, MIC, decrypt) on the same frames, no storage. */
  frame_layer: Timing;
  /** The registry calls alone, on the same devices: `findByDevAddr` (read, keys opened) … */
  registry_lookup: Timing;
  /** … and `saveSession` (the FCnt written, keys sealed again), each awaited. */
  registry_save: Timing;
  /** The device's share at hand-off (XOR the stamp, AES-CMAC): also in the paced step's CPU. */
  device_send: Timing;
  /** ns − as at p50: what the network layer adds to an uplink. */
  overhead_p50_us: number;
  ns_uplinks_per_s_sequential: number;
  dropped: number;
}

function timing(samples: Float64Array): Timing {
  const sorted = samples.slice().sort();
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
  const mean = sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length);
  return { p50_us: at(50), p99_us: at(99), mean_us: mean };
}

const hrUs = () => Number(process.hrtime.bigint()) / 1000;

export function nsBench(deps: Deps) {
  let devices: AbpDevice[] = [];
  let frames: Air | undefined;
  let timestamp = 0;
  const requireAir = () => {
    if (!frames) throw new Error('call abpDevices first');
    return frames;
  };
  const radios = (): RadioMetadata[] => {
    timestamp = (timestamp + 1_000) >>> 0;
    return gatewayRadios(deps.now(), timestamp);
  };
  const failed = (err: unknown) => deps.log.error({ err }, 'bench ns uplink failed');

  /** What the network layer would hand the AS for this frame (server/ns/uplink.ts `publish`). */
  const asInput = (d: AbpDevice, fCnt: number, payload: Uint8Array, phyBytes: number) => {
    const r = radios();
    const best = r[0]!;
    const ids: EndDeviceIds = {
      device_id: d.deviceId,
      application_ids: { application_id: deps.applicationId },
      dev_addr: d.devAddr,
    };
    const up: ApplicationUplink = {
      f_port: 1,
      f_cnt: fCnt,
      frm_payload: payload,
      rx_metadata: r.map(rxMetadataOf),
      settings: settingsOf(best),
      received_at: best.receivedAt.toISOString(),
      consumed_airtime: consumedAirtime(phyBytes, best),
      network_ids: { net_id: '000000' },
    };
    return { ids, up };
  };

  return {
    async abpDevices(args: { count: number }) {
      if (devices.length === 0) {
        devices = await createAbpDevices(deps.devices, deps.applicationId, args.count, deps.now());
        frames = air(devices);
      }
      return { devices: devices.length };
    },

    /** Untimed: the stamp-independent part of the next `count` frames (abp.ts). */
    prepare(args: { count: number }) {
      requireAir().prepare(args.count);
      return { prepared: args.count };
    },

    /** Fire and forget, as the fan-out injector: `count` frames, each stamped at hand-off. */
    inject(count: number, firstSeq: number, nowUs: () => number) {
      const a = requireAir();
      for (let i = 0; i < count; i++) {
        const { phy } = a.next(stampBytes(nowUs(), firstSeq + i));
        deps.ns.handleUplink(phy, radios()).catch(failed);
      }
    },

    preparedLate: () => requireAir().preparedLate(),

    /** K sequential uplinks per path, after a warm-up of each; no subscribers are connected. */
    async micro(args: { count: number; warmup: number }): Promise<NsMicro> {
      const a = requireAir();
      const before = deps.ns.stats();
      const run = async (n: number) => {
        const device = new Float64Array(n);
        const frame = new Float64Array(n);
        const ns = new Float64Array(n);
        const as = new Float64Array(n);
        a.prepare(n);
        const sent: { phy: Buffer; device: AbpDevice; fCnt: number; stamp: Buffer }[] = [];
        for (let i = 0; i < n; i++) {
          const stamp = Buffer.from(stampBytes(hrUs(), i));
          const t0 = hrUs();
          const f = a.next(stamp);
          device[i] = hrUs() - t0;
          sent.push({ ...f, stamp });
        }
        for (const [i, f] of sent.entries()) {
          const session = { nwkSKey: f.device.nwkSKey, appSKey: f.device.appSKey, lastFCnt: f.fCnt - 1 };
          const t0 = hrUs();
          const decoded = decodePhyPayload(f.phy);
          const parsed = decoded.ok ? parseDataUp(decoded.value, session) : undefined;
          frame[i] = hrUs() - t0;
          if (!parsed?.ok) throw new Error(`frame layer refused frame ${i}`);
        }
        for (const [i, f] of sent.entries()) {
          const r = radios();
          const t0 = hrUs();
          await deps.ns.handleUplink(f.phy, r);
          ns[i] = hrUs() - t0;
        }
        for (const [i, f] of sent.entries()) {
          const { ids, up } = asInput(f.device, f.fCnt, f.stamp, f.phy.length);
          const t0 = hrUs();
          await deps.as.handleUplink(ids, up, [`gs:uplink:bench${i}`, `ns:uplink:bench${i}`]);
          as[i] = hrUs() - t0;
        }
        const lookup = new Float64Array(n);
        const save = new Float64Array(n);
        for (const [i, f] of sent.entries()) {
          let t0 = hrUs();
          const [found] = await deps.registry.findByDevAddr(f.device.devAddr);
          lookup[i] = hrUs() - t0;
          if (!found?.session) throw new Error(`${f.device.deviceId} not found by DevAddr`);
          t0 = hrUs();
          await deps.registry.saveSession(deps.applicationId, f.device.deviceId, found.session);
          save[i] = hrUs() - t0;
        }
        return { device, frame, ns, as, lookup, save };
      };
      const first = await run(args.warmup);
      const s = await run(args.count);
      const after = deps.ns.stats();
      const nsTiming = timing(s.ns);
      const asTiming = timing(s.as);
      return {
        uplinks: args.count,
        devices: devices.length,
        ns_uplink: nsTiming,
        ns_warmup_uplink: timing(first.ns),
        as_uplink: asTiming,
        frame_layer: timing(s.frame),
        registry_lookup: timing(s.lookup),
        registry_save: timing(s.save),
        device_send: timing(s.device),
        overhead_p50_us: nsTiming.p50_us - asTiming.p50_us,
        ns_uplinks_per_s_sequential: 1e6 / nsTiming.mean_us,
        dropped: after.dropped - before.dropped,
      };
    },
  };
}
