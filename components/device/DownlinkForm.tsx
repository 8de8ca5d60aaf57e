'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '@/lib/apiClient';
import { asDevicePath } from '../apiTypes';
import { Button, ErrorText, inputClass, Label } from '../ui';
import { type PayloadFormat, payloadFields, splitIds } from './payload';
import { queueKey } from './QueuePanel';

const PRIORITIES = ['LOWEST', 'LOW', 'BELOW_NORMAL', 'NORMAL', 'ABOVE_NORMAL', 'HIGH', 'HIGHEST'] as const;

interface DownlinkFormProps {
  app: string;
  dev: string;
  /** Called with the correlation IDs of an accepted downlink, to follow its lifecycle. */
  onQueued: (correlationIds: string[]) => void;
}

export function DownlinkForm({ app, dev, onQueued }: DownlinkFormProps) {
  const qc = useQueryClient();
  const [f, setF] = useState({
    fPort: '1',
    format: 'hex' as PayloadFormat,
    payload: '',
    confirmed: false,
    priority: 'NORMAL',
    op: 'push',
    cids: '',
  });
  const set = (patch: Partial<typeof f>) => setF({ ...f, ...patch });
  const push = useMutation({
    mutationFn: async () => {
      const correlation_ids = splitIds(f.cids);
      const downlink = {
        f_port: Number(f.fPort),
        ...payloadFields(f.format, f.payload),
        confirmed: f.confirmed,
        priority: f.priority,
        correlation_ids,
      };
      await api(`${asDevicePath(app, dev)}/down/${f.op}`, {
        method: 'POST',
        json: { downlinks: [downlink] },
      });
      return correlation_ids;
    },
    onSuccess: (ids) => {
      void qc.invalidateQueries({ queryKey: queueKey(app, dev) });
      onQueued(ids);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    push.mutate();
  };
  return (
    <form onSubmit={submit} className="space-y-3 p-4" data-testid="downlink-form">
      <div className="grid grid-cols-[5rem_1fr] gap-3">
        <Label text="FPort">
          <input
            className={inputClass}
            name="f_port"
            inputMode="numeric"
            value={f.fPort}
            onChange={(e) => set({ fPort: e.target.value })}
          />
        </Label>
        <Label text="Payload">
          <div className="flex gap-1">
            <select
              aria-label="Payload format"
              className={`${inputClass} w-24! shrink-0`}
              data-testid="payload-format"
              value={f.format}
              onChange={(e) => set({ format: e.target.value as PayloadFormat })}
            >
              <option value="hex">hex</option>
              <option value="base64">base64</option>
              <option value="json">JSON</option>
            </select>
            <input
              className={`${inputClass} font-mono`}
              name="payload"
              placeholder={f.format === 'json' ? '{"led": true}' : f.format === 'hex' ? '01 A2 FF' : 'AaL/'}
              value={f.payload}
              onChange={(e) => set({ payload: e.target.value })}
            />
          </div>
        </Label>
      </div>
      <div className="grid grid-cols-2 gap-3">
        <Label text="Priority">
          <select
            className={inputClass}
            name="priority"
            value={f.priority}
            onChange={(e) => set({ priority: e.target.value })}
          >
            {PRIORITIES.map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
        </Label>
        <Label text="Insert">
          <select
            className={inputClass}
            name="operation"
            data-testid="downlink-op"
            value={f.op}
            onChange={(e) => set({ op: e.target.value })}
          >
            <option value="push">Push (append)</option>
            <option value="replace">Replace queue</option>
          </select>
        </Label>
      </div>
      <Label
        text="Correlation IDs"
        hint="comma-separated; they travel with the downlink to sent, ack, nack and failed"
      >
        <input
          className={`${inputClass} font-mono text-xs`}
          name="correlation_ids"
          value={f.cids}
          onChange={(e) => set({ cids: e.target.value })}
        />
      </Label>
      <label className="flex items-center gap-2 text-sm">
        <input
          type="checkbox"
          name="confirmed"
          checked={f.confirmed}
          onChange={(e) => set({ confirmed: e.target.checked })}
        />
        Confirmed (the device acknowledges)
      </label>
      <ErrorText error={push.error} testId="downlink-error" />
      {push.isSuccess && (
        <p className="text-xs text-emerald-700" data-testid="downlink-ok">
          Downlink queued.
        </p>
      )}
      <Button type="submit" variant="primary" disabled={push.isPending} data-testid="downlink-submit">
        {f.op === 'push' ? 'Push downlink' : 'Replace queue'}
      </Button>
    </form>
  );
}
