import { ApiKeysPanel } from '@/components/apikeys/ApiKeysPanel';

export default async function ApiKeysPage({ params }: { params: Promise<{ app: string }> }) {
  const { app } = await params;
  return <ApiKeysPanel app={app} />;
}
