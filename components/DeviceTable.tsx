'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { api } from '@/lib/apiClient';
import { appPath, type EndDevice } from './apiTypes';
import { RelativeTime } from './RelativeTime';
import { Td, Th } from './ui';

export const devicesKey = (app: string) => ['devices', app] as const;

export function useDevices(app: string, initial?: EndDevice[]) {
  return useQuery({
    queryKey: devicesKey(app),
    queryFn: async () => (await api<{ end_devices: EndDevice[] }>(`${appPath(app)}/devices`)).end_devices,
    initialData: initial,
    refetchInterval: 15_000,
  });
}

/** Devices with last seen; `compact` drops the EUI columns for the overview. */
export function DeviceTable({
  app,
  initial,
  compact,
}: {
  app: string;
  initial: EndDevice[];
  compact?: boolean;
}) {
  const { data = [] } = useDevices(app, initial);
  return (
    <table className="w-full text-sm" data-testid="device-table">
      <thead className="border-b border-slate-200 bg-slate-50">
        <tr>
          <Th>Device</Th>
          <Th>Name</Th>
          {!compact && <Th>DevEUI</Th>}
          {!compact && <Th>JoinEUI</Th>}
          {!compact && <Th>DevAddr</Th>}
          <Th>Last seen</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {data.map((d) => (
          <tr key={d.ids.device_id} className="hover:bg-slate-50" data-testid="device-row">
            <Td>
              <Link
                href={`/applications/${app}/devices/${d.ids.device_id}`}
                className="font-mono font-medium text-indigo-700 hover:underline"
              >
                {d.ids.device_id}
              </Link>
            </Td>
            <Td className="max-w-[16rem] truncate text-slate-700">
              <span data-testid="device-name">{d.name}</span>
            </Td>
            {!compact && <Td className="font-mono text-xs text-slate-600">{d.ids.dev_eui}</Td>}
            {!compact && <Td className="font-mono text-xs text-slate-600">{d.ids.join_eui}</Td>}
            {!compact && <Td className="font-mono text-xs text-slate-600">{d.ids.dev_addr}</Td>}
            <Td className="text-slate-500">
              <RelativeTime iso={d.last_seen_at} empty="never" />
            </Td>
          </tr>
        ))}
        {data.length === 0 && (
          <tr>
            <Td colSpan={6} className="py-6 text-center text-slate-500">
              No devices yet.
            </Td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
