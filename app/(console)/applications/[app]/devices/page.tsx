import { DevicesPanel } from '@/components/DevicesPanel';
import { listDevices } from '../../../_data/server';
import { appTitle } from '../../../_data/titles';

export const generateMetadata = appTitle('End devices');

export default async function DevicesPage({ params }: { params: Promise<{ app: string }> }) {
  const { app } = await params;
  return <DevicesPanel app={app} initial={await listDevices(app)} />;
}
