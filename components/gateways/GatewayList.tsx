'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { api } from '@/lib/apiClient';
import type { Gateway } from '../apiTypes';
import { RelativeTime } from '../RelativeTime';
import { Button, Card, Td, Th } from '../ui';
import { AddGatewayForm } from './AddGatewayForm';
import { ConnectionBadge } from './ConnectionBadge';
import { UnregisteredGateways } from './UnregisteredGateways';
import { useGatewayStats } from './useGatewayStats';

/** Online/offline and last seen, from the gateway server (TTS's console asks the same per row). */
function ConnectionCells({ gatewayId }: { gatewayId: string }) {
  const { data } = useGatewayStats(gatewayId);
  return (
    <>
      <Td>
        <ConnectionBadge stats={data} />
      </Td>
      <Td className="text-slate-500">
        <RelativeTime iso={data?.last_seen_at} />
      </Td>
    </>
  );
}

/** The registered gateways, then those heard unregistered; `adding`: the form, maybe for an EUI heard. */
export function GatewayList({ initial }: { initial: Gateway[] }) {
  const [adding, setAdding] = useState<{ eui?: string } | undefined>();
  const { data } = useQuery({
    queryKey: ['gateways'],
    queryFn: async () => (await api<{ gateways: Gateway[] }>('/api/v3/gateways')).gateways,
    initialData: initial,
  });
  return (
    <div className="flex flex-col gap-5">
      <Card
        title="Gateways"
        actions={
          <Button variant="primary" size="sm" onClick={() => setAdding({})} data-testid="add-gateway">
            + Add gateway
          </Button>
        }
      >
        {adding && (
          <AddGatewayForm key={adding.eui ?? ''} eui={adding.eui} onDone={() => setAdding(undefined)} />
        )}
        <table className="w-full text-sm" data-testid="gateway-table">
          <thead className="border-b border-slate-200 bg-slate-50">
            <tr>
              <Th>ID</Th>
              <Th>EUI</Th>
              <Th>Name</Th>
              <Th>Frequency plan</Th>
              <Th>Status</Th>
              <Th>Last seen</Th>
              <Th>Created</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {data.map((g) => (
              <tr key={g.ids.gateway_id} className="hover:bg-slate-50" data-testid="gateway-row">
                <Td>
                  <Link
                    href={`/gateways/${g.ids.gateway_id}`}
                    className="font-mono font-medium text-indigo-700 hover:underline"
                  >
                    {g.ids.gateway_id}
                  </Link>
                </Td>
                <Td className="font-mono text-slate-700">{g.ids.eui}</Td>
                <Td className="text-slate-700">{g.name}</Td>
                <Td className="font-mono text-slate-600">{g.frequency_plan_id}</Td>
                <ConnectionCells gatewayId={g.ids.gateway_id} />
                <Td className="text-slate-500">
                  <RelativeTime iso={g.created_at} />
                </Td>
              </tr>
            ))}
            {data.length === 0 && (
              <tr>
                <Td colSpan={7} className="py-6 text-center text-slate-500">
                  No gateways yet. Register one with its EUI so its packet forwarder's traffic is accepted.
                </Td>
              </tr>
            )}
          </tbody>
        </table>
      </Card>
      <UnregisteredGateways
        onRegister={(eui) => {
          setAdding({ eui });
          window.scrollTo({ top: 0 });
        }}
      />
    </div>
  );
}
