'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { api } from '@/lib/apiClient';
import type { Gateway } from '../apiTypes';
import { RelativeTime } from '../RelativeTime';
import { Button, Card, Td, Th } from '../ui';
import { AddGatewayForm } from './AddGatewayForm';

export function GatewayList({ initial }: { initial: Gateway[] }) {
  const [adding, setAdding] = useState(false);
  const { data } = useQuery({
    queryKey: ['gateways'],
    queryFn: async () => (await api<{ gateways: Gateway[] }>('/api/v3/gateways')).gateways,
    initialData: initial,
  });
  return (
    <Card
      title="Gateways"
      actions={
        <Button variant="primary" size="sm" onClick={() => setAdding(true)} data-testid="add-gateway">
          + Add gateway
        </Button>
      }
    >
      {adding && <AddGatewayForm onDone={() => setAdding(false)} />}
      <table className="w-full text-sm" data-testid="gateway-table">
        <thead className="border-b border-slate-200 bg-slate-50">
          <tr>
            <Th>ID</Th>
            <Th>EUI</Th>
            <Th>Name</Th>
            <Th>Frequency plan</Th>
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
              <Td className="text-slate-500">
                <RelativeTime iso={g.created_at} />
              </Td>
            </tr>
          ))}
          {data.length === 0 && (
            <tr>
              <Td colSpan={5} className="py-6 text-center text-slate-500">
                No gateways yet. Register one with its EUI so its packet forwarder's traffic is accepted.
              </Td>
            </tr>
          )}
        </tbody>
      </table>
    </Card>
  );
}
