/**
 * The network-layer bench inside the Mote host: ABP devices, their frames handed to
 * `ns.handleUplink` as a gateway frontend would hand them (paced, for the fan-out variant), and
 * the per-uplink step (nsMicro.ts).
 */
import type { ApplicationUplink, EndDeviceIds } from '../../lib/messages';
import type { ApplicationServer } from '../../server/as/ports';
import type { Logger } from '../../server/log';
import type { NetworkServer, NsDeviceRegistry, RadioMetadata } from '../../server/ns/ports';
import { consumedAirtime, rxMetadataOf, settingsOf } from '../../server/ns/radio';
import type { DeviceStore } from '../../server/store/ports';
import { type AbpDevice, type Air, air, createAbpDevices, gatewayRadios } from './abp';
import { measureUplinkCost, type NsMicro } from './nsMicro';
import { stampBytes } from './payload';

export type { NsMicro, Timing } from './nsMicro';

interface Deps {
  ns: NetworkServer;
  as: ApplicationServer;
  devices: DeviceStore;
  registry: NsDeviceRegistry;
  applicationId: string;
  now: () => Date;
  /** Writes what is batched (history, last-seen): `mote.flush`. */
  flush: () => Promise<void>;
  log: Logger;
}

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
    micro(args: { count: number; warmup: number }): Promise<NsMicro> {
      const { ns, as, registry, applicationId, flush } = deps;
      const d = {
        ns,
        as,
        registry,
        applicationId,
        flush,
        devices: devices.length,
        air: requireAir(),
        radios,
        asInput,
      };
      return measureUplinkCost(d, args.count, args.warmup);
    },
  };
}
