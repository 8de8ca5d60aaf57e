'use client';

import { useQuery } from '@tanstack/react-query';
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
 * Each device's newest stored uplink in the last day, for the list's payload and signal
 * columns: one history read for the whole application (TTS's Storage Integration API, newest
 * first) rather than one per row. Devices quiet for longer show none.
 */
export function useLastUplinks(app: string) {
  return useQuery({
    queryKey: ['last-uplinks', app],
    refetchInterval: 15_000,
    queryFn: async () => {
      const res = await apiFetch(
        `/api/v3/as/applications/${enc(app)}/packages/storage/uplink_message?order=-received_at&last=24h&limit=2000`,
      );
      if (!res.ok) return new Map<string, LastUplink>();
      const byDevice = new Map<string, LastUplink>();
      for (const line of (await res.text()).split('\n')) {
        if (!line.trim()) continue;
        const up = (JSON.parse(line) as { result?: StoredUp }).result;
        const id = up?.end_device_ids?.device_id;
        if (!up || !id || byDevice.has(id)) continue;
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
