/**
 * What a scenario needs registered on the Mote under test, made as a user makes it: over the
 * HTTP API (`POST /api/v3/gateways` as admin, `POST …/devices` with the application's API key),
 * a few requests in flight at once so thousands of devices take seconds, not minutes.
 */
import { adminSession, type Caller, call } from '../../test/helpers/api';
import { type AbpDevice, abpBody, abpDevices } from './abp';
import type { Product } from './product';

/** The server and the application to register in, with its API key (a Product is one). */
export type Registry = Pick<Product, 'mote' | 'applicationId' | 'key'>;

const IN_FLIGHT = 8;

async function ok(product: Registry, who: Caller, method: string, path: string, body?: unknown) {
  const r = await call(product.mote, who, method, path, body);
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Runs `work` over `items`, IN_FLIGHT at a time. */
async function each<T>(items: T[], work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(IN_FLIGHT, items.length) }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

/** EUIs of a test range (AA555A…), one per gateway. */
const euiOf = (g: number) => `AA555A00${(g + 1).toString(16).toUpperCase().padStart(8, '0')}`;

/** G gateways on EU868, registered by the admin; their EUIs. */
export async function registerGateways(product: Registry, count: number): Promise<string[]> {
  const admin = await adminSession(product.mote);
  const euis = Array.from({ length: count }, (_, g) => euiOf(g));
  await each(euis, (eui) =>
    ok(product, admin, 'POST', '/api/v3/gateways', {
      gateway: { ids: { gateway_id: `bench-gw-${eui.toLowerCase()}`, eui }, frequency_plan_id: 'EU_863_870' },
    }),
  );
  return euis;
}

/** N ABP devices in the product's application, with their session keys for the air's side. */
export async function registerAbpDevices(product: Registry, count: number): Promise<AbpDevice[]> {
  const devices = abpDevices(count);
  const path = `/api/v3/applications/${product.applicationId}/devices`;
  await each(devices, (d) => ok(product, { key: product.key }, 'POST', path, abpBody(d)));
  return devices;
}

/** N plain devices (ids only: no session, no radio), for MQTT paths that need a device to exist. */
export async function registerDevices(product: Registry, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `dev-${i}`);
  const path = `/api/v3/applications/${product.applicationId}/devices`;
  // One DevEUI per device: the registry refuses a DevEUI + JoinEUI twice.
  await each([...ids.keys()], (i) =>
    ok(product, { key: product.key }, 'POST', path, {
      end_device: {
        ids: {
          device_id: ids[i],
          dev_eui: `42000000${i.toString(16).toUpperCase().padStart(8, '0')}`,
          join_eui: '4200000000000000',
        },
      },
    }),
  );
  return ids;
}
