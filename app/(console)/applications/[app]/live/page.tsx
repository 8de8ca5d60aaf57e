import { LiveView } from '@/components/live/LiveView';
import { listDevices } from '../../../_data/server';
import { appTitle } from '../../../_data/titles';

export const generateMetadata = appTitle('Live data');

export default async function LivePage({ params }: { params: Promise<{ app: string }> }) {
  const { app } = await params;
  const devices = (await listDevices(app)).map((d) => d.ids.device_id);
  return (
    <LiveView
      applicationId={app}
      knownDevices={devices}
      scrollBack
      className="h-[calc(100vh-11.5rem)] min-h-[28rem]"
    />
  );
}
