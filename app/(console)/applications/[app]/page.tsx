import Link from 'next/link';
import { DeviceTable } from '@/components/DeviceTable';
import { OVERVIEW_QUERY } from '@/components/devices/deviceQuery';
import { LiveView } from '@/components/live/LiveView';
import { MqttInfo } from '@/components/MqttInfo';
import { Card } from '@/components/ui';
import { listDevicePage, mqttAddress } from '../../_data/server';
import { appTitle } from '../../_data/titles';

export const generateMetadata = appTitle();

export default async function ApplicationOverview({ params }: { params: Promise<{ app: string }> }) {
  const { app } = await params;
  // One page, however large the fleet; the live view adds devices as their events arrive.
  const first = await listDevicePage(app, OVERVIEW_QUERY.pageSize);
  return (
    <div className="grid gap-5 xl:grid-cols-[minmax(0,1fr)_28rem]">
      <LiveView
        applicationId={app}
        knownDevices={first.devices.map((d) => d.ids.device_id)}
        title="Live data"
        className="h-[32rem] xl:row-span-2"
      />
      <MqttInfo app={app} address={mqttAddress()} />
      <Card
        title={`End devices (${first.total})`}
        actions={
          <Link href={`/applications/${app}/devices`} className="text-xs text-indigo-700 hover:underline">
            Manage devices →
          </Link>
        }
      >
        <DeviceTable app={app} initial={first} />
      </Card>
    </div>
  );
}
