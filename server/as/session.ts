import type { DeviceStore } from '../store/ports';

/**
 * The AS's per-device session, kept in the device's `session` JSON column: what a network server
 * and application server would share about the current LoRaWAN session.
 */
export interface AsSession {
  /** Base64, as in messages. */
  session_key_id?: string;
  dev_addr?: string;
  /** FCnt of the last application downlink sent in this session. */
  last_a_f_cnt_down?: number;
  /** A confirmed downlink sent and waiting for the next uplink's ACK bit (proto-JSON). */
  pending_downlink?: string;
  /**
   * The downlink handed to the network server in the last receive window and not settled yet
   * (proto-JSON, with its f_cnt): it goes back to the head of the queue unless it is reported sent.
   */
  in_flight_downlink?: string;
}

export const loadSession = async (devices: DeviceStore, app: string, dev: string): Promise<AsSession> =>
  (await devices.getSession<AsSession>(app, dev)) ?? {};

export const saveSession = (devices: DeviceStore, app: string, dev: string, session: AsSession) =>
  devices.setSession(app, dev, session, session.dev_addr ? { dev_addr: session.dev_addr } : {});
