import { DevicesPanel } from '@/components/DevicesPanel';
import { listDevices } from '../../../_data/server';

export default async function DevicesPage({ params }: { params: Promise<{ app: string }> }) {
  const { app } = await params;
  return <DevicesPanel app={app} initial={await listDevices(app)} />;
}
