import type { DeviceStore } from '../store/ports';
import type { SensorReading } from './profile';

/**
 * A simulated device's state, kept under `simulator` in the device's `settings` JSON so a
 * restart resumes where it was (running devices keep running, FCnt keeps counting). The
 * device-side session is kept as what the JoinAccept gave (AppNonce, NetID, DevAddr) beside the
 * DevNonce: the session keys are derived again from the AppKey (sealed with the device's other
 * keys) rather than written here in the clear.
 */
export interface SimState {
  running: boolean;
  interval_ms: number;
  /** Probability that the uplink after a confirmed downlink does not acknowledge it. */
  ack_loss: number;
  data_rate_index: number;
  joined: boolean;
  dev_addr?: string;
  /** The last DevNonce sent: a counter, so none repeats (LoRaWAN 1.0.3 §6.2.5 refuses reuse). */
  dev_nonce: number;
  /** From the last JoinAccept: with the DevNonce and the AppKey, they give the session keys. */
  app_nonce?: number;
  net_id?: string;
  /** FCnt of the next uplink; 0 after each join, as LoRaWAN. */
  f_cnt: number;
  /** The last FCntDown accepted; undefined until the first downlink of the session. */
  last_f_cnt_down?: number;
  /** A confirmed downlink arrived: the next uplink carries ACK (§4.3.1.2), unless lost. */
  ack_due?: boolean;
  next_at?: string;
  reading?: SensorReading;
  /** Through the virtual Semtech UDP gateway (udpGateway.ts) rather than in-process. */
  via_udp?: boolean;
}

export const DEFAULT_SIM_STATE: SimState = {
  running: false,
  interval_ms: 10_000,
  ack_loss: 0,
  data_rate_index: 5,
  joined: false,
  dev_nonce: 0,
  f_cnt: 0,
};

type Settings = { simulator?: Partial<SimState> } & Record<string, unknown>;

export async function loadSimState(devices: DeviceStore, app: string, dev: string): Promise<SimState> {
  const settings = (await devices.getSettings<Settings>(app, dev)) ?? {};
  return { ...DEFAULT_SIM_STATE, ...settings.simulator };
}

/** Other features keep their own keys in `settings` (formatters, …): only `simulator` is ours. */
export async function saveSimState(
  devices: DeviceStore,
  app: string,
  dev: string,
  state: SimState,
): Promise<void> {
  await devices.setSetting(app, dev, 'simulator', state);
}
