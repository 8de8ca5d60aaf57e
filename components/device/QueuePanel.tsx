'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api } from '@/lib/apiClient';
import { useReachable } from '@/lib/console/reachability';
import { attemptText, base64ToHex } from '@/lib/live/preview';
import { asDevicePath } from '../apiTypes';
import { Button, Card, ErrorText } from '../ui';

export const queueKey = (app: string, dev: string) => ['queue', app, dev] as const;

interface QueuedDownlink {
  f_port?: number;
  frm_payload?: string;
  confirmed?: boolean;
  priority?: string;
  correlation_ids?: string[];
  confirmed_retry?: { attempt?: number; max_attempts?: number };
}

interface QueuePanelProps {
  app: string;
  dev: string;
  /** Changes whenever a downlink event of this device arrives: the queue has changed. */
  lastDownlinkEvent?: string;
  className?: string;
}

/** The device's pending downlinks (docs/behaviour.md §5), refreshed on each downlink event and by polling. */
export function QueuePanel({ app, dev, lastDownlinkEvent, className }: QueuePanelProps) {
  const qc = useQueryClient();
  const path = `${asDevicePath(app, dev)}/down`;
  const { data, error } = useQuery({
    queryKey: queueKey(app, dev),
    queryFn: async () => (await api<{ downlinks?: QueuedDownlink[] }>(path)).downlinks ?? [],
    refetchInterval: 5_000,
  });
  useEffect(() => {
    if (lastDownlinkEvent) void qc.invalidateQueries({ queryKey: queueKey(app, dev) });
  }, [lastDownlinkEvent, qc, app, dev]);
  const clear = useMutation({
    mutationFn: () => api(path, { method: 'DELETE' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: queueKey(app, dev) }),
  });
  const items = data ?? [];
  const reachable = useReachable();
  return (
    <Card
      title={`Downlink queue (${items.length})`}
      testId="queue"
      className={className}
      actions={
        <Button
          size="sm"
          variant="danger"
          disabled={items.length === 0 || clear.isPending}
          onClick={() => clear.mutate()}
          data-testid="clear-queue"
        >
          Clear queue
        </Button>
      }
    >
      <ErrorText error={error ?? clear.error} />
      <ol className="divide-y divide-slate-100 text-xs">
        {items.map((d, i) => (
          <li
            key={`${i}-${d.correlation_ids?.join()}`}
            className="flex items-center gap-3 px-4 py-1.5 font-mono"
            data-testid="queue-item"
          >
            <span className="text-slate-500">#{i + 1}</span>
            <span>FPort {d.f_port}</span>
            <span className="truncate text-slate-800">
              {d.frm_payload ? base64ToHex(d.frm_payload) : '—'}
            </span>
            <span className="text-slate-500">{d.priority ?? 'LOWEST'}</span>
            {d.confirmed && <span className="rounded bg-slate-200 px-1 text-[10px]">confirmed</span>}
            {d.confirmed && (
              <span className={(d.confirmed_retry?.attempt ?? 1) > 1 ? 'text-amber-700' : 'text-slate-500'}>
                {attemptText('downlink_queued', { ...d })}
              </span>
            )}
          </li>
        ))}
        {items.length === 0 && (
          <li className="px-4 py-3 font-sans text-slate-500" data-testid="queue-empty">
            {reachable ? 'Queue is empty.' : 'Not known while Mote cannot be reached.'}
          </li>
        )}
      </ol>
    </Card>
  );
}
