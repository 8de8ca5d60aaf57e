import Link from 'next/link';
import { DeleteDevice } from '@/components/device/DeleteDevice';
import { DeviceFacts } from '@/components/device/DeviceFacts';
import { DeviceWorkbench } from '@/components/device/DeviceWorkbench';
import { getDevice } from '../../../../_data/server';
import { deviceTitle } from '../../../../_data/titles';

export const generateMetadata = deviceTitle();

export default async function DevicePage({ params }: { params: Promise<{ app: string; dev: string }> }) {
  const { app, dev } = await params;
  const device = await getDevice(app, dev);
  return (
    <div className="flex flex-col gap-5">
      <div className="flex flex-wrap items-end gap-x-8 gap-y-3 rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-xs">
        <div className="min-w-0">
          <h2 className="font-mono text-base font-semibold" data-testid="device-id">
            {device.ids.device_id}
          </h2>
          {device.name && (
            <p className="max-w-md truncate text-sm text-slate-600" data-testid="device-title">
              {device.name}
            </p>
          )}
        </div>
        <DeviceFacts app={app} initial={device} />
        <div className="ml-auto flex gap-4 text-sm">
          <Link
            href={`/applications/${app}/devices/${dev}/settings`}
            className="text-indigo-700 hover:underline"
            data-testid="device-settings-link"
          >
            Settings
          </Link>
          <Link
            href={`/applications/${app}/devices/${dev}/formatters`}
            className="text-indigo-700 hover:underline"
            data-testid="device-formatters-link"
          >
            Payload formatters
          </Link>
          <DeleteDevice app={app} dev={dev} />
        </div>
      </div>
      <DeviceWorkbench app={app} dev={dev} />
    </div>
  );
}
