import { GatewayList } from '@/components/gateways/GatewayList';
import { listGateways } from '../_data/server';

export default async function GatewaysPage() {
  return (
    <div className="mx-auto max-w-5xl">
      <GatewayList initial={await listGateways()} />
    </div>
  );
}
