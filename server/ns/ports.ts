/**
 * The network layer's ports (docs/architecture.md): what it needs of device storage, declared
 * here and implemented by the store (server/store/), and what it offers the gateway frontend and
 * the simulator. Keys and identifiers are upper-case hex strings, as in server/ns/lorawan/.
 */
import type { EndDeviceIds } from '../../lib/messages';

export type MacVersion = '1.0.2' | '1.0.3' | '1.0.4';

/** A device's LoRaWAN session as the network layer keeps it (1.0.x: one NwkSKey). */
export interface NsSession {
  devAddr: string;
  nwkSKey: string;
  appSKey: string;
  /** Hex; the `session_key_id` published with `join` and `up` (base64 there). */
  sessionKeyId: string;
  /** The last 32-bit uplink FCnt accepted; undefined until the first uplink of the session. */
  lastFCntUp?: number;
  /** The last downlink FCnt used (NFCntDown/AFCntDown are one counter in 1.0.x). */
  lastFCntDown?: number;
  /** ABP sessions are given, not joined: their counters persist across restarts alike. */
  abp?: boolean;
}

/** What the network layer knows of one end device. */
export interface NsDevice {
  ids: EndDeviceIds;
  macVersion: MacVersion;
  frequencyPlanId: string;
  /** OTAA root key; undefined for an ABP-only device. */
  appKey?: string;
  session?: NsSession;
}

/** Device storage as the network layer needs it (implemented over the Store port). */
export interface NsDeviceRegistry {
  /** The OTAA device with this JoinEUI and DevEUI, if any. */
  findForJoin(joinEui: string, devEui: string): Promise<NsDevice | undefined>;
  /** Devices whose current session has this DevAddr (several may share one; the MIC decides). */
  findByDevAddr(devAddr: string): Promise<NsDevice[]>;
  /**
   * Records a DevNonce; false when the device used it before (LoRaWAN 1.0.3 §6.2.5: any nonce
   * seen before is refused), in which case nothing changes.
   */
  useDevNonce(applicationId: string, deviceId: string, devNonce: number): Promise<boolean>;
  /** Replaces the device's session (a join) or updates its counters (an uplink, a downlink). */
  saveSession(applicationId: string, deviceId: string, session: NsSession): Promise<void>;
}
