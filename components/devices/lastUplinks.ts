'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiFetch } from '@/lib/apiClient';
import { enc } from '../apiTypes';

export interface LastUplink {
  receivedAt: string;
  payloadHex: string;
  fPort?: number;
  rssi?: number;
  snr?: number;
}

interface StoredUp {
  end_device_ids?: { device_id?: string };
  received_at?: string;
  uplink_message?: {
    f_port?: number;
    frm_payload?: string;
    rx_metadata?: { rssi?: number; snr?: number }[];
  };
}

const hexOf = (b64: string | undefined) =>
  b64
    ? Array.from(atob(b64), (c) => c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()).join('')
    : '';

/**
 * The newest stored uplink of each device on the list's page, for its payload and signal
 * columns: one read of just those devices' newest rows (`newest-uplinks`, issue 16 item 4),
 * not the application's last 2 000 uplinks every 15 s per open tab.
 */
export function useLastUplinks(app: string, deviceIds: readonly string[]) {
  const ids = [...deviceIds].sort().join(',');
  return useQuery({
    queryKey: ['last-uplinks', app, ids],
    enabled: ids !== '',
    refetchInterval: 15_000,
    placeholderData: keepPreviousData,
    queryFn: async () => {
      const res = await apiFetch(
        `/api/v3/as/applications/${enc(app)}/newest-uplinks?device_ids=${encodeURIComponent(ids)}`,
      );
      const byDevice = new Map<string, LastUplink>();
      if (!res.ok) return byDevice;
      for (const up of ((await res.json()) as { uplinks?: StoredUp[] }).uplinks ?? []) {
        const id = up.end_device_ids?.device_id;
        if (!id) continue;
        const best = [...(up.uplink_message?.rx_metadata ?? [])].sort(
          (a, b) => (b.rssi ?? -999) - (a.rssi ?? -999),
        )[0];
        byDevice.set(id, {
          receivedAt: up.received_at ?? '',
          payloadHex: hexOf(up.uplink_message?.frm_payload),
          fPort: up.uplink_message?.f_port,
          rssi: best?.rssi,
          snr: best?.snr,
        });
      }
      return byDevice;
    },
  });
}
