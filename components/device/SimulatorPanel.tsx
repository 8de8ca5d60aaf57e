'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Button, ErrorText, inputClass, Label } from '../ui';
import { type SimStatus, simSettings, simStatus, startSimulator, stopSimulator } from './simApi';

const simKey = (app: string, dev: string) => ['sim', app, dev] as const;

/** Start/stop the simulated device (docs/behaviour.md §8) with its uplink interval and ack loss. */
export function SimulatorPanel({ app, dev }: { app: string; dev: string }) {
  const qc = useQueryClient();
  const status = useQuery({
    queryKey: simKey(app, dev),
    queryFn: () => simStatus(app, dev),
    refetchInterval: 5_000,
  });
  const [interval, setInterval_] = useState<string>();
  const [loss, setLoss] = useState<string>();
  useEffect(() => {
    if (!status.data) return;
    setInterval_((v) => v ?? String(status.data.interval_ms / 1000));
    setLoss((v) => v ?? String(Math.round(status.data.ack_loss * 100)));
  }, [status.data]);
  const onStatus = (s: SimStatus) => qc.setQueryData(simKey(app, dev), s);
  const start = useMutation({
    mutationFn: () => startSimulator(app, dev, simSettings(interval ?? '10', loss ?? '0')),
    onSuccess: onStatus,
  });
  const stop = useMutation({ mutationFn: () => stopSimulator(app, dev), onSuccess: onStatus });
  const s = status.data;
  return (
    <div className="space-y-3 p-4" data-testid="simulator">
      <div className="grid grid-cols-2 gap-3">
        <Label text="Uplink interval (s)">
          <input
            className={inputClass}
            name="sim_interval"
            inputMode="decimal"
            value={interval ?? ''}
            onChange={(e) => setInterval_(e.target.value)}
          />
        </Label>
        <Label text="Ack loss (%)">
          <input
            className={inputClass}
            name="sim_ack_loss"
            inputMode="numeric"
            value={loss ?? ''}
            onChange={(e) => setLoss(e.target.value)}
          />
        </Label>
      </div>
      <ErrorText error={start.error ?? stop.error ?? status.error} testId="sim-error" />
      <div className="flex items-center gap-2">
        <Button
          variant="primary"
          size="sm"
          onClick={() => start.mutate()}
          disabled={start.isPending}
          data-testid="sim-start"
        >
          {s?.running ? 'Apply' : 'Start'}
        </Button>
        <Button
          size="sm"
          onClick={() => stop.mutate()}
          disabled={stop.isPending || !s?.running}
          data-testid="sim-stop"
        >
          Stop
        </Button>
        {s && (
          <span
            className={`text-xs ${s.running ? 'text-emerald-700' : 'text-slate-500'}`}
            data-testid="sim-state"
          >
            {s.running ? 'running' : 'stopped'}
          </span>
        )}
      </div>
      {s && (
        <p className="font-mono text-[11px] text-slate-500">
          {s.joined ? `joined · DevAddr ${s.dev_addr ?? '—'} · next FCnt ${s.f_cnt ?? 0}` : 'not joined yet'}
        </p>
      )}
    </div>
  );
}
