'use client';

import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, ErrorText, inputClass, Label } from '../ui';
import { startSimulator, stopSimulator } from './simApi';

/** Start/stop the simulated device (SPEC §8) with its uplink interval and ack loss. */
export function SimulatorPanel({ app, dev }: { app: string; dev: string }) {
  const [interval, setInterval_] = useState('10');
  const [loss, setLoss] = useState('0');
  const [running, setRunning] = useState<boolean>();
  const start = useMutation({
    mutationFn: () => startSimulator(app, dev, { interval: Number(interval), ack_loss: Number(loss) / 100 }),
    onSuccess: () => setRunning(true),
  });
  const stop = useMutation({ mutationFn: () => stopSimulator(app, dev), onSuccess: () => setRunning(false) });
  return (
    <div className="space-y-3 p-4" data-testid="simulator">
      <div className="grid grid-cols-2 gap-3">
        <Label text="Uplink interval (s)">
          <input
            className={inputClass}
            name="sim_interval"
            inputMode="decimal"
            value={interval}
            onChange={(e) => setInterval_(e.target.value)}
          />
        </Label>
        <Label text="Ack loss (%)">
          <input
            className={inputClass}
            name="sim_ack_loss"
            inputMode="numeric"
            value={loss}
            onChange={(e) => setLoss(e.target.value)}
          />
        </Label>
      </div>
      <ErrorText error={start.error ?? stop.error} testId="sim-error" />
      <div className="flex items-center gap-2">
        <Button
          variant="primary"
          size="sm"
          onClick={() => start.mutate()}
          disabled={start.isPending}
          data-testid="sim-start"
        >
          {running ? 'Apply & restart' : 'Start'}
        </Button>
        <Button size="sm" onClick={() => stop.mutate()} disabled={stop.isPending} data-testid="sim-stop">
          Stop
        </Button>
        {running !== undefined && (
          <span
            className={`text-xs ${running ? 'text-emerald-700' : 'text-slate-500'}`}
            data-testid="sim-state"
          >
            {running ? 'running' : 'stopped'}
          </span>
        )}
      </div>
    </div>
  );
}
