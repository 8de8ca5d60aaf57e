import { DeviceSettings } from '@/components/device/DeviceSettings';
import { getDevice } from '../../../../../_data/server';
import { deviceTitle } from '../../../../../_data/titles';

export const generateMetadata = deviceTitle('Settings');

export default async function DeviceSettingsPage({
  params,
}: {
  params: Promise<{ app: string; dev: string }>;
}) {
  const { app, dev } = await params;
  const device = await getDevice(app, dev);
  return (
    <div className="flex max-w-4xl flex-col gap-3">
      <DeviceSettings app={app} initial={device} />
    </div>
  );
}
