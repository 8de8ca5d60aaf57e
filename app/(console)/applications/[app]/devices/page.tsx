import { DevicesPanel } from '@/components/DevicesPanel';
import { DEFAULT_QUERY } from '@/components/devices/deviceQuery';
import { listDevicePage } from '../../../_data/server';
import { appTitle } from '../../../_data/titles';

export const generateMetadata = appTitle('End devices');

export default async function DevicesPage({ params }: { params: Promise<{ app: string }> }) {
  const { app } = await params;
  return <DevicesPanel app={app} initial={await listDevicePage(app, DEFAULT_QUERY.pageSize)} />;
}
