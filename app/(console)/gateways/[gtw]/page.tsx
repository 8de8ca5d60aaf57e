import { GatewayDetails } from '@/components/gateways/GatewayDetails';
import { GatewayStatus } from '@/components/gateways/GatewayStatus';
import { GatewayTraffic } from '@/components/gateways/GatewayTraffic';
import { getGateway } from '../../_data/server';

export async function generateMetadata({ params }: { params: Promise<{ gtw: string }> }) {
  // Read, so a missing gateway is titled as the 404 it is.
  return { title: `${(await getGateway((await params).gtw)).ids.gateway_id} · Gateways` };
}

export default async function GatewayPage({ params }: { params: Promise<{ gtw: string }> }) {
  const { gtw } = await params;
  const gateway = await getGateway(gtw);
  return (
    <div className="mx-auto flex w-full max-w-5xl flex-col gap-5">
      <div>
        <div className="flex items-baseline gap-3">
          <h1 className="font-mono text-lg font-semibold text-slate-900" data-testid="gateway-id">
            {gateway.ids.gateway_id}
          </h1>
          {gateway.name && <span className="text-sm text-slate-600">{gateway.name}</span>}
        </div>
      </div>
      <GatewayDetails initial={gateway} />
      <GatewayStatus gatewayId={gateway.ids.gateway_id} />
      <GatewayTraffic gatewayId={gateway.ids.gateway_id} />
    </div>
  );
}
