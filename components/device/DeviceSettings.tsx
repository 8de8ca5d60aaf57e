'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '@/lib/apiClient';
import { devicePath, type EndDevice } from '../apiTypes';
import { Button, Card, ErrorText, inputClass, Label } from '../ui';
import { LorawanFields } from './LorawanFields';
import {
  activationOf,
  hexProblem,
  keysOf,
  type LorawanForm,
  type LorawanKeys,
  lorawanFormOf,
  updateBody,
} from './lorawanForm';

const KEY_MASK = '?field_mask=root_keys,session.keys';

/**
 * A device's general and LoRaWAN settings (TTS console's "General settings"). Stored keys are
 * secrets: read with the key field mask only when "Show keys" is clicked, and dropped again once
 * saved. A save sends only what changed; when the API refuses, its message is shown.
 */
export function DeviceSettings({ app, initial }: { app: string; initial: EndDevice }) {
  const qc = useQueryClient();
  const path = devicePath(app, initial.ids.device_id);
  const [stored, setStored] = useState(initial);
  const [form, setForm] = useState<LorawanForm & { name: string; description: string }>(() => ({
    ...lorawanFormOf(initial),
    name: initial.name ?? '',
    description: initial.description ?? '',
  }));
  const [shown, setShown] = useState<LorawanKeys>();
  const [saved, setSaved] = useState(false);
  const was = activationOf(stored);

  const showKeys = useMutation({
    mutationFn: () => api<EndDevice>(`${path}${KEY_MASK}`),
    onSuccess: (d) => {
      const keys = keysOf(d);
      setShown(keys);
      setForm((f) => ({ ...f, ...keys }));
    },
  });
  const save = useMutation({
    mutationFn: async () => {
      setSaved(false);
      const problem = hexProblem(form);
      if (problem) throw new Error(problem);
      const body = updateBody(stored, shown, form);
      if (!body) return stored;
      return api<EndDevice>(path, { method: 'PUT', json: body });
    },
    onSuccess: (d) => {
      setStored(d);
      setShown(undefined);
      setForm({ ...lorawanFormOf(d), name: d.name ?? '', description: d.description ?? '' });
      setSaved(true);
      qc.setQueryData(['device', app, d.ids.device_id], d);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };

  // A new activation needs new keys, so they are inputs at once; the stored ones stay hidden.
  const keysHidden = shown === undefined && form.activation === was;
  const hiddenKeys = (
    <div className="flex items-center gap-3 rounded-md border border-dashed border-slate-300 px-3 py-2 text-sm">
      <span className="text-slate-500" data-testid="keys-hidden">
        {was === 'otaa' ? 'AppKey' : 'DevAddr, AppSKey and NwkSKey'}: hidden
      </span>
      <Button
        size="sm"
        onClick={() => showKeys.mutate()}
        disabled={showKeys.isPending}
        data-testid="show-keys"
      >
        Show keys
      </Button>
      <ErrorText error={showKeys.error} testId="show-keys-error" />
    </div>
  );
  return (
    <Card title="General settings" testId="device-settings">
      <form onSubmit={submit} className="space-y-4 p-4" data-testid="device-settings-form">
        <Label text="Name">
          <input
            className={`${inputClass} max-w-md`}
            name="name"
            maxLength={50}
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.target.value })}
          />
        </Label>
        <Label text="Description">
          <textarea
            className={`${inputClass} max-w-md`}
            name="description"
            rows={2}
            maxLength={2000}
            value={form.description}
            onChange={(e) => setForm({ ...form, description: e.target.value })}
          />
        </Label>
        <LorawanFields
          value={form}
          onChange={(f) => setForm({ ...form, ...f })}
          // The API cannot take keys away: a device with keys keeps an activation.
          disabledActivations={was === 'none' ? [] : ['none']}
          keys={keysHidden ? hiddenKeys : null}
        />
        {form.activation === 'abp' && !keysHidden && (
          <p className="text-xs text-slate-500">A changed session starts its frame counters from zero.</p>
        )}
        <ErrorText error={save.error} />
        {saved && !save.error && (
          <p className="text-sm text-emerald-700" data-testid="settings-saved">
            Saved.
          </p>
        )}
        <Button type="submit" variant="primary" disabled={save.isPending} data-testid="settings-submit">
          {save.isPending ? 'Saving…' : 'Save changes'}
        </Button>
      </form>
    </Card>
  );
}
