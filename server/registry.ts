import type { FormatterService } from './as/formatters/service';
import type { ApplicationServer } from './as/ports';
import type { ApiKeyService } from './auth/apiKeyService';
import type { ConsoleAuth } from './auth/consoleAuth';
import type { EventBus } from './bus/bus';
import type { Clock } from './clock';
import type { Config } from './config';
import type { Logger } from './log';
import type { Simulator } from './sim/simulator';
import type { ApplicationStore } from './store/applications';
import type { Store } from './store/db';
import type { DeviceStore } from './store/devices';

/**
 * The running Mote, as route handlers see it. Next bundles route handlers apart from the custom
 * server, so module singletons are not shared: main.ts puts the runtime on one globalThis slot
 * and handlers read it through `runtime()`.
 */
export interface MoteRuntime {
  config: Config;
  clock: Clock;
  log: Logger;
  store: Store;
  applications: ApplicationStore;
  devices: DeviceStore;
  apiKeys: ApiKeyService;
  console: ConsoleAuth;
  bus: EventBus;
  /** The AS core (server/as): uplinks, downlink queues, simulated uplinks. */
  as: ApplicationServer;
  /** Payload formatters (SPEC §7): application link and device overrides, test runs. */
  formatters: FormatterService;
  /** The network simulator (server/sim): start/stop simulated devices. */
  sim: Simulator;
  /** Where MQTT clients should connect, for `mqtt-connection-info` and the console. */
  mqttAddress(): { public_address: string; public_tls_address?: string; websocket_path: string };
}

const SLOT = Symbol.for('mote.runtime');
type Slot = { [SLOT]?: MoteRuntime };

export function setRuntime(rt: MoteRuntime): void {
  (globalThis as Slot)[SLOT] = rt;
}

export function runtime(): MoteRuntime {
  const rt = (globalThis as Slot)[SLOT];
  if (!rt)
    throw new Error(
      'Mote runtime is not set: start Mote with `npm start` (server/main.ts), not `next start`',
    );
  return rt;
}
