import { GatewayList } from '@/components/gateways/GatewayList';
import { listGateways } from '../_data/server';

export const metadata = { title: 'Gateways' };

export default async function GatewaysPage() {
  return (
    <div className="mx-auto w-full max-w-5xl">
      <h1 className="sr-only">Gateways</h1>
      <GatewayList initial={await listGateways()} />
    </div>
  );
}
