import { notFound } from 'next/navigation';
import type { Application, EndDevice, Gateway } from '@/components/apiTypes';
import { isMoteError } from '@/lib/errors';
import { deviceListQuery } from '@/lib/schemas/devicePages';
import { gatewayView } from '@/server/http/gateways';
import { runtime } from '@/server/http/runtime';
import { applicationView, deviceView } from '@/server/http/views';

/**
 * First-paint data for console pages (server components read the running core directly; the
 * client then keeps it fresh through the HTTP API with TanStack Query).
 */
async function orNotFound<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (isMoteError(e) && e.errorClass === 'not_found') notFound();
    throw e;
  }
}

export async function listApplications(): Promise<Application[]> {
  return (await runtime().store.applications.list()).map(applicationView) as Application[];
}

export async function getApplication(app: string): Promise<Application> {
  return applicationView(await orNotFound(runtime().store.applications.get(app))) as Application;
}

/** The device list's first page, as `GET …/devices?limit=50&page=1` answers it. */
export async function listDevicePage(
  app: string,
  limit: number,
): Promise<{ devices: EndDevice[]; total: number }> {
  const q = deviceListQuery.parse({ limit: String(limit) });
  const { devices, total } = await orNotFound(
    runtime()
      .store.applications.get(app)
      .then(() => runtime().store.devices.page(app, q)),
  );
  return { devices: devices.map((d) => deviceView(d)) as EndDevice[], total };
}

export async function getDevice(app: string, dev: string): Promise<EndDevice> {
  return deviceView(await orNotFound(runtime().store.devices.get(app, dev))) as EndDevice;
}

export async function listGateways(): Promise<Gateway[]> {
  return (await runtime().store.gateways.list()).map(gatewayView);
}

export async function getGateway(gtw: string): Promise<Gateway> {
  return gatewayView(await orNotFound(runtime().store.gateways.get(gtw)));
}

export function mqttAddress() {
  return runtime().mqttAddress();
}
