import type { FormatterService } from '../as/formatters/service';
import type { Clock } from '../clock';
import type { ApplicationStore, DeviceStore } from '../store/ports';
import { PROFILE_FORMATTER } from './profile';
import type { Simulator } from './simulator';

/**
 * docs/behaviour.md §8: a fresh Mote shows traffic at once. Creates application `demo` with three simulated
 * sensors (different data rates, one with lossy acks) unless it already exists — a restart
 * resumes them through `Simulator.resume()` instead.
 */
export const DEMO_APPLICATION = 'demo';

const DEMO_DEVICES = [
  { id: 'sensor-1', devEui: '70B3D57ED0000001', intervalMs: 5_000, dataRateIndex: 5, ackLoss: 0 },
  { id: 'sensor-2', devEui: '70B3D57ED0000002', intervalMs: 7_000, dataRateIndex: 3, ackLoss: 0.2 },
  { id: 'sensor-3', devEui: '70B3D57ED0000003', intervalMs: 11_000, dataRateIndex: 0, ackLoss: 0 },
];

export async function seedDemo(deps: {
  applications: ApplicationStore;
  devices: DeviceStore;
  formatters: Pick<FormatterService, 'setLink'>;
  sim: Simulator;
  clock: Clock;
}): Promise<boolean> {
  if (await deps.applications.exists(DEMO_APPLICATION)) return false;
  const now = deps.clock.now();
  await deps.applications.create(
    DEMO_APPLICATION,
    { name: 'Demo', description: 'Simulated temperature/humidity sensors (MOTE_DEMO=0 to skip)' },
    now,
  );
  await deps.formatters.setLink(DEMO_APPLICATION, {
    default_formatters: {
      up_formatter: 'FORMATTER_JAVASCRIPT',
      up_formatter_parameter: PROFILE_FORMATTER,
      down_formatter: 'FORMATTER_JAVASCRIPT',
      down_formatter_parameter: PROFILE_FORMATTER,
    },
  });
  for (const d of DEMO_DEVICES) {
    await deps.devices.create(
      DEMO_APPLICATION,
      d.id,
      { name: `Demo ${d.id}`, dev_eui: d.devEui, join_eui: '70B3D57ED0000000' },
      now,
    );
    await deps.sim.start(DEMO_APPLICATION, d.id, {
      intervalMs: d.intervalMs,
      dataRateIndex: d.dataRateIndex,
      ackLoss: d.ackLoss,
    });
  }
  return true;
}
