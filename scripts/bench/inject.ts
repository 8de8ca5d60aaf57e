/**
 * How the bench puts uplinks into Mote without HTTP in the way: from a timer loop inside the Mote
 * process, through the AS core's network entry point (`handleUplink`, what the simulator and a
 * network server call) when the core is there, or straight onto the event bus before it was.
 * Nothing here opens a port or skips authentication: it is code the bench host runs in-process,
 * as the simulator does.
 */
import { readUpBody } from '../../lib/messages';
import { type BusMessage, createLocalBus, type EventBus } from '../../server/bus/bus';
import type { Logger } from '../../server/log';
import type { MqttPorts } from '../../server/mqtt/ports';
import type { Store } from '../../server/store/db';
import type { DeviceStore } from '../../server/store/devices';
import { seedUplink, stampBytes, stamped, type Template, template } from './payload';

export interface Injector {
  path: 'as-core' | 'bus';
  /** Sends `count` uplinks, round-robin over the devices; each carries its send time. */
  send(count: number, firstSeq: number, nowUs: () => number): void;
  receiveDownlinks?: MqttPorts['receiveDownlinks'];
  close(): Promise<void>;
}

interface Deps {
  store: Store;
  devices: DeviceStore;
  bus: EventBus;
  log: Logger;
  applicationId: string;
  deviceIds: string[];
}

export async function createInjector(deps: Deps): Promise<Injector> {
  const core = await loadCore(deps);
  return core ?? busInjector(deps);
}

async function loadCore(deps: Deps): Promise<Injector | undefined> {
  let mod: typeof import('../../server/as/server');
  try {
    mod = await import('../../server/as/server');
  } catch {
    return undefined;
  }
  const { systemClock } = await import('../../server/clock');
  const as = mod.createApplicationServer({
    store: deps.store,
    devices: deps.devices,
    bus: deps.bus,
    clock: systemClock,
    log: deps.log,
    config: { queueCapacity: 10_000 },
  });
  const seed = seedUplink(deps.applicationId, deps.deviceIds[0]);
  const base = readUpBody('uplink_message', seed.uplink_message);
  const ids = deps.deviceIds.map((device_id) => ({
    device_id,
    application_ids: { application_id: deps.applicationId },
    dev_eui: '4200000000000000',
    join_eui: '4200000000000000',
    dev_addr: '01DA1F15',
  }));
  const upstream = seed.correlation_ids as string[];
  const failed = (err: unknown) => deps.log.error({ err }, 'bench uplink failed');
  return {
    path: 'as-core',
    send(count, firstSeq, nowUs) {
      for (let i = 0; i < count; i++) {
        const seq = firstSeq + i;
        const frm_payload = new Uint8Array(stampBytes(nowUs(), seq));
        as.handleUplink(ids[seq % ids.length], { ...base, f_cnt: seq, frm_payload }, upstream).catch(failed);
      }
    },
    receiveDownlinks: as.receiveDownlinks,
    close: () => as.close(),
  };
}

function busInjector(deps: Deps): Injector {
  const templates: Template[] = deps.deviceIds.map((d) => template(deps.applicationId, d));
  const topics = deps.deviceIds.map((d) => `v3/${deps.applicationId}/devices/${d}/up`);
  const correlationIds = seedUplink(deps.applicationId, deps.deviceIds[0]).correlation_ids as string[];
  return {
    path: 'bus',
    send(count, firstSeq, nowUs) {
      for (let i = 0; i < count; i++) {
        const seq = firstSeq + i;
        const d = seq % templates.length;
        const message: BusMessage = {
          applicationId: deps.applicationId,
          deviceId: deps.deviceIds[d],
          event: 'up',
          topic: topics[d],
          payload: stamped(templates[d], nowUs(), seq),
          type: 'uplink_message',
          receivedAt: new Date().toISOString(),
          correlationIds,
        };
        deps.bus.publish(message);
      }
    },
    close: async () => {},
  };
}

export { createLocalBus };
