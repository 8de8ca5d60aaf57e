import { ApiKeysPanel } from '@/components/apikeys/ApiKeysPanel';
import { appTitle } from '../../../_data/titles';

export const generateMetadata = appTitle('API keys');

export default async function ApiKeysPage({ params }: { params: Promise<{ app: string }> }) {
  const { app } = await params;
  return <ApiKeysPanel app={app} />;
}
