'use client';

import { useQuery } from '@tanstack/react-query';
import { ApiError, api } from '@/lib/apiClient';
import { type GatewayConnectionStats, gatewayStatsPath } from '../apiTypes';

/**
 * A registered gateway's connection stats, refreshed every few seconds; `null` while the gateway
 * server has not heard it since the start (404 `gateway_not_connected`).
 */
export function useGatewayStats(gatewayId: string, refetchMs = 5000) {
  return useQuery({
    queryKey: ['gateway-stats', gatewayId],
    queryFn: async (): Promise<GatewayConnectionStats | null> => {
      try {
        return await api<GatewayConnectionStats>(gatewayStatsPath(gatewayId));
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      }
    },
    refetchInterval: refetchMs,
  });
}
