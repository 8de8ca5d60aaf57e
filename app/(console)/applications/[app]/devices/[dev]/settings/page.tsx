import Link from 'next/link';
import { DeviceSettings } from '@/components/device/DeviceSettings';
import { getDevice } from '../../../../../_data/server';

export default async function DeviceSettingsPage({
  params,
}: {
  params: Promise<{ app: string; dev: string }>;
}) {
  const { app, dev } = await params;
  const device = await getDevice(app, dev);
  return (
    <div className="flex max-w-4xl flex-col gap-3">
      <div className="text-sm text-slate-500">
        <Link href={`/applications/${app}/devices/${dev}`} className="hover:text-slate-800">
          {device.ids.device_id}
        </Link>{' '}
        / settings
      </div>
      <DeviceSettings app={app} initial={device} />
    </div>
  );
}
