'use client';

import Link from 'next/link';
import { useState } from 'react';
import { DevicePager } from './devices/DevicePager';
import { OVERVIEW_QUERY } from './devices/deviceQuery';
import { type DevicePage, useDevicePage } from './devices/useDevicePage';
import { RelativeTime } from './RelativeTime';
import { Td, Th } from './ui';

/** Devices with last seen, for the application overview; the Devices tab has the full list. */
export function DeviceTable({ app, initial }: { app: string; initial: DevicePage }) {
  const [q, setQ] = useState(OVERVIEW_QUERY);
  const { data = initial } = useDevicePage(app, q, OVERVIEW_QUERY, initial);
  return (
    <div>
      <table className="w-full text-sm" data-testid="device-table">
        <thead className="border-b border-slate-200 bg-slate-50">
          <tr>
            <Th>Device</Th>
            <Th>Name</Th>
            <Th>Last seen</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {data.devices.map((d) => (
            <tr key={d.ids.device_id} className="hover:bg-slate-50" data-testid="device-row">
              <Td>
                <Link
                  href={`/applications/${app}/devices/${d.ids.device_id}`}
                  className="font-mono font-medium text-indigo-700 hover:underline"
                  data-testid="device-link"
                >
                  {d.ids.device_id}
                </Link>
              </Td>
              <Td className="max-w-[16rem] truncate text-slate-700">
                <span data-testid="device-name">{d.name}</span>
              </Td>
              <Td className="text-slate-500">
                <RelativeTime iso={d.last_seen_at} empty="never" />
              </Td>
            </tr>
          ))}
          {data.total === 0 && (
            <tr>
              <Td colSpan={3} className="py-6 text-center text-slate-500">
                No devices yet.
              </Td>
            </tr>
          )}
        </tbody>
      </table>
      {data.total > q.pageSize && (
        <DevicePager
          page={q.page}
          pageSize={q.pageSize}
          shown={data.devices.length}
          total={data.total}
          onPage={(page) => setQ({ ...q, page })}
        />
      )}
    </div>
  );
}
