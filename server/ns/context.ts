/**
 * What the network server core is built from: only ports (docs/architecture.md §3), so the
 * composition root, the simulator and tests each wire their own.
 */

import type { IdSource } from '../as/correlation';
import type { ApplicationServer } from '../as/ports';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { DropHandler, FrameObserver, NsDeviceRegistry, NsStats } from './ports';

/** Random bytes for AppNonces, DevAddrs and session key IDs; tests inject a seeded source. */
export type RandomBytes = (n: number) => Uint8Array;

export interface NsDeps {
  registry: NsDeviceRegistry;
  as: Pick<ApplicationServer, 'handleJoin' | 'handleUplink' | 'receiveWindow' | 'settleWindow'>;
  clock: Clock;
  ids: IdSource;
  random: RandomBytes;
  log: Logger;
  /** `MOTE_NET_ID`, 6 hex digits; LoRaWAN's 000000 (experimental/private) unless configured. */
  netId: string;
  onDrop?: DropHandler;
  /** Every frame's outcome, for the gateway server's traffic view. */
  onFrameHandled?: FrameObserver;
  /** How long a second copy of a frame (another gateway) is recognised as one, ms. */
  dedupWindowMs?: number;
}

/** The core's state beside its ports. */
export interface NsCore extends NsDeps {
  counters: NsStats;
  /** Frames seen recently (hex PHYPayload → when), for gateway duplicates. */
  seen: Map<string, number>;
}

/** Correlation IDs as the simulator gives them today: the gateway server's and the NS's. */
export const uplinkCorrelationIds = (core: NsCore): string[] => [
  `gs:uplink:${core.ids.ulid()}`,
  `ns:uplink:${core.ids.ulid()}`,
];
