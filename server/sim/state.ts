import type { DeviceStore } from '../store/ports';
import type { SensorReading } from './profile';

/**
 * A simulated device's state, kept under `simulator` in the device's `settings` JSON so a
 * restart resumes where it was (running devices keep running, FCnt keeps counting).
 */
export interface SimState {
  running: boolean;
  interval_ms: number;
  /** Probability that the uplink after a confirmed downlink does not acknowledge it. */
  ack_loss: number;
  data_rate_index: number;
  joined: boolean;
  dev_addr?: string;
  session_key_id?: string;
  /** FCnt of the next uplink; 0 after each join, as LoRaWAN. */
  f_cnt: number;
  next_at?: string;
  reading?: SensorReading;
}

export const DEFAULT_SIM_STATE: SimState = {
  running: false,
  interval_ms: 10_000,
  ack_loss: 0,
  data_rate_index: 5,
  joined: false,
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
