'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useMemo, useState } from 'react';
import { api } from '@/lib/apiClient';
import type { LiveRow } from '@/lib/live/event';
import { asDevicePath, devicePath, type EndDevice } from '../apiTypes';
import { Button, ErrorText, inputClass, Label } from '../ui';
import { DownlinkTracker } from './DownlinkTracker';
import { fPortProblem, payloadBytes, payloadLimit } from './downlinkRules';
import { newCorrelationId, track } from './downlinkTrack';
import { type PayloadFormat, payloadFields, splitIds } from './payload';
import { queueKey } from './QueuePanel';

const PRIORITIES = ['LOWEST', 'LOW', 'BELOW_NORMAL', 'NORMAL', 'ABOVE_NORMAL', 'HIGH', 'HIGHEST'] as const;

interface DownlinkFormProps {
  app: string;
  dev: string;
  /** The device's live rows: the tracker follows the pushed downlink in them. */
  rows: readonly LiveRow[];
  /** Called with the user's correlation IDs of an accepted downlink, to filter the timeline. */
  onQueued: (correlationIds: string[]) => void;
}

function FieldError({ text, testId }: { text?: string; testId: string }) {
  if (!text) return null;
  return (
    <p className="mt-1 text-xs text-red-700" data-testid={testId} role="alert">
      {text}
    </p>
  );
}

/**
 * Pushes or replaces a downlink. Each gets a correlation ID of the console's own beside the
 * user's, and the tracker under the form follows the newest one through queued, sent and
 * ack/nack/failed. Fields are checked as they are typed, in words, and the payload is counted
 * against what the device's current data rate carries.
 */
export function DownlinkForm({ app, dev, rows, onQueued }: DownlinkFormProps) {
  const qc = useQueryClient();
  const device = useQuery({
    queryKey: ['device', app, dev],
    queryFn: () => api<EndDevice>(devicePath(app, dev)),
  }).data;
  const [followed, setFollowed] = useState<{ id: string; confirmed: boolean }>();
  const [tried, setTried] = useState(false);
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
  const fPortError = fPortProblem(f.fPort);
  const size = payloadBytes(f.format, f.payload);
  const limit = useMemo(
    () => payloadLimit(device?.frequency_plan_id, rows),
    [device?.frequency_plan_id, rows],
  );
  const tooLong = limit !== undefined && size.bytes !== undefined && size.bytes > limit.max;
  // A field says what is wrong once it has been typed in, or after a push was tried.
  const show = (touched: boolean, problem?: string) => (tried || touched ? problem : undefined);
  const tracked = useMemo(() => followed && track(rows, followed.id), [rows, followed]);
  const push = useMutation({
    mutationFn: async () => {
      const own = splitIds(f.cids);
      const id = newCorrelationId();
      const correlation_ids = [...own, id];
      const downlink = {
        f_port: Number(f.fPort),
        ...payloadFields(f.format, f.payload),
        confirmed: f.confirmed,
        priority: f.priority,
        correlation_ids,
      };
      setFollowed({ id, confirmed: f.confirmed });
      await api(`${asDevicePath(app, dev)}/down/${f.op}`, {
        method: 'POST',
        json: { downlinks: [downlink] },
      });
      return own;
    },
    onError: () => setFollowed(undefined),
    onSuccess: (ids) => {
      void qc.invalidateQueries({ queryKey: queueKey(app, dev) });
      onQueued(ids);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (fPortError || size.problem) return;
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
            aria-invalid={show(f.fPort !== '1', fPortError) ? true : undefined}
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
              aria-invalid={show(f.payload !== '', size.problem) ? true : undefined}
              onChange={(e) => set({ payload: e.target.value })}
            />
          </div>
        </Label>
      </div>
      <FieldError text={show(f.fPort !== '1', fPortError)} testId="f-port-error" />
      <FieldError text={show(f.payload !== '', size.problem)} testId="payload-error" />
      {size.bytes !== undefined && (
        <p
          className={`text-xs ${tooLong ? 'text-amber-700' : 'text-slate-500'}`}
          data-testid="byte-counter"
          title={limit?.basis}
        >
          {size.bytes} / {limit?.max ?? 242} bytes
          {limit && ` at DR${limit.dataRate} (${limit.basis})`}
          {tooLong && ': too long for this data rate, it will fail unless the device moves to a faster one'}
        </p>
      )}
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
        {push.isPending ? 'Pushing…' : f.op === 'push' ? 'Push downlink' : 'Replace queue'}
      </Button>
      {followed && tracked && (
        <DownlinkTracker tracked={tracked} confirmed={followed.confirmed} correlationId={followed.id} />
      )}
    </form>
  );
}
