/**
 * Keys for a simulated device (issue 12: devices created without keys keep working for the
 * simulator). What the device lacks to join through the network layer is generated and written
 * with the device's other fields, as the HTTP API would write it (server/http/deviceFields.ts):
 * the AppKey sealed with the other keys, EUIs, frequency plan, MAC version, OTAA. What the device
 * has is kept: a device created with its own AppKey joins with it.
 */
import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import { bytesToHex } from '../../lib/messages';
import type { Clock } from '../clock';
import type { DeviceStore, EndDeviceFields } from '../store/ports';
import { type Random, randomBytes } from './random';

/** The simulated network's plan (docs/behaviour.md §8.2) and the MAC the simulator speaks. */
const SIM_SETTINGS = {
  frequency_plan_id: 'EU_863_870',
  lorawan_version: 'MAC_V1_0_3',
  lorawan_phy_version: 'PHY_V1_0_3_REV_A',
} as const;

export interface SimKeys {
  devEui: string;
  joinEui: string;
  appKey: string;
}

export async function ensureKeys(
  devices: DeviceStore,
  app: string,
  dev: string,
  deps: { random: Random; clock: Clock },
): Promise<SimKeys> {
  let device = await devices.get(app, dev);
  let appKey = (await devices.getKeys(app, dev)).app_key;
  const fields: EndDeviceFields = {};
  if (!device.dev_eui) fields.dev_eui = bytesToHex(randomBytes(deps.random, 8));
  if (!device.join_eui) fields.join_eui = '0000000000000000';
  // A root key is a secret even for a simulated device: from the system's CSPRNG, never the
  // (seedable) simulation randomness.
  if (!appKey) appKey = fields.app_key = cryptoRandomBytes(16).toString('hex').toUpperCase();
  for (const k of ['frequency_plan_id', 'lorawan_version', 'lorawan_phy_version'] as const)
    if (!device[k]) fields[k] = SIM_SETTINGS[k];
  if (device.supports_join === null) fields.supports_join = true;
  if (Object.keys(fields).length > 0) device = await devices.update(app, dev, fields, deps.clock.now());
  // Set above when missing: the update wrote them.
  return { devEui: device.dev_eui ?? '', joinEui: device.join_eui ?? '', appKey };
}
