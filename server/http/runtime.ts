import type { FormatterService } from '../as/formatters/service';
import type { ApplicationServer } from '../as/ports';
import type { ApiKeyService } from '../auth/apiKeyService';
import type { ConsoleAuth } from '../auth/consoleAuth';
import type { Clock } from '../clock';
import type { Config } from '../config';
import type { GatewayServer } from '../gs/ports';
import type { Logger } from '../log';
import type { Simulator } from '../sim/simulator';
import type { Store } from '../store/ports';
import type { HistoryReads } from './historyReads';

/** Where MQTT clients should connect, for `mqtt-connection-info` and the console. */
export interface MqttAddress {
  public_address: string;
  public_tls_address?: string;
  websocket_path: string;
}

/** What route handlers and server components may use of the running Mote (server/mote.ts). */
export interface MoteRuntime {
  config: Config;
  clock: Clock;
  log: Logger;
  store: Store;
  apiKeys: ApiKeyService;
  consoleAuth: ConsoleAuth;
  formatters: FormatterService;
  as: ApplicationServer;
  sim: Simulator;
  /** The gateway server: connected gateways, their status and traffic (docs/behaviour.md §9.6). */
  gs: GatewayServer;
  mqttAddress(): MqttAddress;
  /** Concurrent history reads per key or console session (issue 17 item 3). */
  historyReads: HistoryReads;
  /** Called with a gateway's EUI after it is registered, changed or deleted (gateway server cache). */
  gatewaysChanged?(eui: string): void;
}

/**
 * Next bundles route handlers apart from the custom server, so module singletons are not shared:
 * createMote puts the running Mote on one globalThis slot and handlers read it through
 * `runtime()`.
 */
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
