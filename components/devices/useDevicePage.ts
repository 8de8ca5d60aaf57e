'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { ApiError, apiFetch } from '@/lib/apiClient';
import { appPath, type EndDevice } from '../apiTypes';
import { type DeviceQuery, pageParams } from './deviceQuery';

export const devicesKey = (app: string) => ['devices', app] as const;

/** One page of devices and how many match, as the server pages them (`X-Total-Count`). */
export interface DevicePage {
  devices: EndDevice[];
  total: number;
}

/**
 * A page of `GET /applications/{app}/devices`: the browser never holds the fleet. `initial` is
 * the server-rendered answer to `first`, the query the page opens with.
 */
export function useDevicePage(app: string, q: DeviceQuery, first: DeviceQuery, initial: DevicePage) {
  return useQuery({
    queryKey: [...devicesKey(app), 'page', q],
    queryFn: async (): Promise<DevicePage> => {
      const res = await apiFetch(`${appPath(app)}/devices?${pageParams(q)}`);
      const body = (await res.json().catch(() => ({}))) as { end_devices?: EndDevice[]; message?: string };
      if (!res.ok) throw new ApiError(body.message ?? `HTTP ${res.status}`, res.status, body);
      return { devices: body.end_devices ?? [], total: Number(res.headers.get('x-total-count') ?? 0) };
    },
    initialData: q === first ? initial : undefined,
    // The rows stay while the next page or search loads, instead of flashing empty.
    placeholderData: keepPreviousData,
    refetchInterval: 15_000,
  });
}
