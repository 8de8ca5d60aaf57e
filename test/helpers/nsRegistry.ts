/**
 * An in-memory NsDeviceRegistry (server/ns/ports.ts) for network server tests: the store's
 * implementation is tested on its own; these tests exercise the core against the port.
 */
import type { NsDevice, NsDeviceRegistry, NsSession } from '../../server/ns/ports';
import type { CounterSave } from '../../server/store/ports';

export interface MemoryRegistry extends NsDeviceRegistry {
  devices: Map<string, NsDevice>;
  add(device: NsDevice): void;
  get(applicationId: string, deviceId: string): NsDevice | undefined;
}

const key = (app: string, dev: string) => `${app}/${dev}`;

export function memoryRegistry(): MemoryRegistry {
  const devices = new Map<string, NsDevice>();
  const nonces = new Map<string, Set<number>>();
  // As the store's: only forward, only into the session the counter belongs to.
  const saveCounter = (
    app: string,
    dev: string,
    session: NsSession,
    counter: 'lastFCntUp' | 'lastFCntDown',
  ): CounterSave => {
    const current = devices.get(key(app, dev))?.session;
    if (current?.sessionKeyId !== session.sessionKeyId) return 'session_replaced';
    const next = session[counter] ?? -1;
    if ((current[counter] ?? -1) >= next) return 'counter_used';
    current[counter] = next;
    return 'saved';
  };
  const copy = (d: NsDevice): NsDevice => ({ ...d, session: d.session && { ...d.session } });
  return {
    devices,
    add: (d) => devices.set(key(d.ids.application_ids.application_id, d.ids.device_id), d),
    get: (app, dev) => devices.get(key(app, dev)),
    async findForJoin(joinEui, devEui) {
      return [...devices.values()]
        .filter((d) => d.appKey && d.ids.join_eui === joinEui && d.ids.dev_eui === devEui)
        .map(copy);
    },
    async findByDevAddr(devAddr) {
      return [...devices.values()].filter((d) => d.session?.devAddr === devAddr).map(copy);
    },
    async useDevNonce(app, dev, devNonce) {
      const used = nonces.get(key(app, dev)) ?? new Set<number>();
      nonces.set(key(app, dev), used);
      if (used.has(devNonce)) return false;
      used.add(devNonce);
      return true;
    },
    async saveSession(app, dev, session: NsSession) {
      const d = devices.get(key(app, dev));
      if (d) d.session = { ...session };
    },
    saveFCntUp: async (app, dev, session) => saveCounter(app, dev, session, 'lastFCntUp'),
    saveFCntDown: async (app, dev, session) => saveCounter(app, dev, session, 'lastFCntDown'),
  };
}
