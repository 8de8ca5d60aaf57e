import { ApplicationSettings } from '@/components/ApplicationSettings';
import { getApplication } from '../../../_data/server';

export default async function ApplicationSettingsPage({ params }: { params: Promise<{ app: string }> }) {
  const { app } = await params;
  return <ApplicationSettings initial={await getApplication(app)} />;
}
