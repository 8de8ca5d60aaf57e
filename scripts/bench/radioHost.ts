/**
 * The radio scenario inside the Mote host: G gateways registered as `POST /api/v3/gateways`
 * registers them (store, then the gateway server told), and N ABP devices as the ns step makes
 * them (abp.ts). Their session keys go to the gateway worker, which plays the devices' side.
 */
import type { DeviceStore, GatewayStore } from '../../server/store/ports';
import { type AbpDevice, createAbpDevices } from './abp';

interface Deps {
  gateways: GatewayStore;
  /** `mote.gatewaysChanged`: what the API calls after a registry change. */
  gatewaysChanged: (eui: string) => void;
  devices: DeviceStore;
  applicationId: string;
  now: () => Date;
}

export interface RadioSetup {
  euis: string[];
  devices: AbpDevice[];
}

/** EUIs of a test range (AA555A…), one per gateway. */
const euiOf = (g: number) => `AA555A00${(g + 1).toString(16).toUpperCase().padStart(8, '0')}`;

export async function radioSetup(
  deps: Deps,
  args: { gateways: number; devices: number },
): Promise<RadioSetup> {
  const euis: string[] = [];
  for (let g = 0; g < args.gateways; g++) {
    const eui = euiOf(g);
    await deps.gateways.create(`bench-gw-${g}`, { eui, frequency_plan_id: 'EU_863_870' });
    deps.gatewaysChanged(eui);
    euis.push(eui);
  }
  const devices = await createAbpDevices(deps.devices, deps.applicationId, args.devices, deps.now());
  return { euis, devices };
}
