import Link from 'next/link';
import { DeviceTable } from '@/components/DeviceTable';
import { LiveView } from '@/components/live/LiveView';
import { MqttInfo } from '@/components/MqttInfo';
import { Card } from '@/components/ui';
import { listDevices, mqttAddress } from '../../_data/server';
import { appTitle } from '../../_data/titles';

export const generateMetadata = appTitle();

export default async function ApplicationOverview({ params }: { params: Promise<{ app: string }> }) {
  const { app } = await params;
  const devices = await listDevices(app);
  return (
    <div className="grid gap-5 xl:grid-cols-[minmax(0,1fr)_28rem]">
      <LiveView
        applicationId={app}
        knownDevices={devices.map((d) => d.ids.device_id)}
        title="Live data"
        className="h-[32rem] xl:row-span-2"
      />
      <MqttInfo app={app} address={mqttAddress()} />
      <Card
        title={`End devices (${devices.length})`}
        actions={
          <Link href={`/applications/${app}/devices`} className="text-xs text-indigo-700 hover:underline">
            Manage devices →
          </Link>
        }
      >
        <DeviceTable app={app} initial={devices} compact />
      </Card>
    </div>
  );
}
