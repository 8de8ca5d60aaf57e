'use client';

import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/apiClient';
import type { UnregisteredGateway } from '../apiTypes';
import { RelativeTime } from '../RelativeTime';
import { Button, Card, Td, Th } from '../ui';

/**
 * Packet forwarders that send to Mote without being registered: acknowledged, their uplinks
 * dropped. "Register" opens the add form with the EUI filled in; once registered, the gateway
 * server looks the EUI up again and the row goes.
 */
export function UnregisteredGateways({ onRegister }: { onRegister: (eui: string) => void }) {
  const { data } = useQuery({
    queryKey: ['gateways-unregistered'],
    queryFn: async () => (await api<{ gateways: UnregisteredGateway[] }>('/api/v3/gs/unregistered')).gateways,
    refetchInterval: 3000,
  });
  if (!data || data.length === 0) return null;
  return (
    <Card title="Unregistered gateways seen" testId="unregistered-gateways">
      <p className="px-4 pt-3 text-xs text-slate-500">
        Their datagrams are acknowledged and their uplinks dropped until they are registered.
      </p>
      <table className="w-full text-sm">
        <thead className="border-b border-slate-200 bg-slate-50">
          <tr>
            <Th>EUI</Th>
            <Th>Address</Th>
            <Th>First seen</Th>
            <Th>Last seen</Th>
            <Th>Uplinks</Th>
            <Th />
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {data.map((g) => (
            <tr key={g.eui} data-testid="unregistered-gateway-row">
              <Td className="font-mono text-slate-800">{g.eui}</Td>
              <Td className="font-mono text-slate-500">{g.remote_address ?? '—'}</Td>
              <Td className="text-slate-500">
                <RelativeTime iso={g.first_seen_at} />
              </Td>
              <Td className="text-slate-500">
                <RelativeTime iso={g.last_seen_at} />
              </Td>
              <Td className="tabular-nums text-slate-700">{g.uplinks}</Td>
              <Td className="text-right">
                <Button size="sm" onClick={() => onRegister(g.eui)} data-testid="register-gateway">
                  Register
                </Button>
              </Td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
