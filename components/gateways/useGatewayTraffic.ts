'use client';

import { useEffect, useState } from 'react';
import { api } from '@/lib/apiClient';
import { type GatewayTrafficEvent, gatewayTrafficPath } from '../apiTypes';

/** As many as the gateway server keeps per gateway (docs/behaviour.md §9.6). */
export const TRAFFIC_KEPT = 200;

/**
 * A gateway's live traffic: polls `traffic?after=<last seq>` every `intervalMs`, so each event
 * is fetched once; the newest `TRAFFIC_KEPT`, oldest first.
 */
export function useGatewayTraffic(gatewayId: string, intervalMs = 1000) {
  const [events, setEvents] = useState<GatewayTrafficEvent[]>([]);
  const [error, setError] = useState<Error>();
  useEffect(() => {
    let after = 0;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const fresh = (await api<{ events: GatewayTrafficEvent[] }>(gatewayTrafficPath(gatewayId, after)))
          .events;
        setError(undefined);
        const last = fresh.at(-1);
        if (last && !stopped) {
          after = last.seq;
          setEvents((prev) => [...prev, ...fresh].slice(-TRAFFIC_KEPT));
        }
      } catch (e) {
        if (!stopped) setError(e instanceof Error ? e : new Error(String(e)));
      }
      if (!stopped) timer = setTimeout(poll, intervalMs);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [gatewayId, intervalMs]);
  return { events, error };
}
