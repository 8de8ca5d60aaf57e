import { LiveView } from '@/components/live/LiveView';
import { listDevicePage } from '../../../_data/server';
import { appTitle } from '../../../_data/titles';

export const generateMetadata = appTitle('Live data');

/**
 * The device filter offers this many devices by ID, plus every device with events on screen:
 * a fleet of thousands is not read whole to fill a drop-down.
 */
const FILTER_DEVICES = 200;

export default async function LivePage({ params }: { params: Promise<{ app: string }> }) {
  const { app } = await params;
  const devices = (await listDevicePage(app, FILTER_DEVICES)).devices.map((d) => d.ids.device_id);
  return (
    <LiveView
      applicationId={app}
      knownDevices={devices}
      scrollBack
      className="h-[calc(100vh-11.5rem)] min-h-[28rem]"
    />
  );
}
