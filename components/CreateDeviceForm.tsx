'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { api } from '@/lib/apiClient';
import { appPath, type EndDevice } from './apiTypes';
import { devicesKey } from './DeviceTable';
import { simSettings, startSimulator } from './device/simApi';
import { Button, ErrorText, inputClass, Label } from './ui';

const randomEui = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase();

export function CreateDeviceForm({ app, onDone }: { app: string; onDone: () => void }) {
  const qc = useQueryClient();
  const router = useRouter();
  const [f, setF] = useState({
    id: '',
    name: '',
    devEui: '',
    joinEui: '0000000000000000',
    simulate: true,
    interval: '10',
  });
  const set = (patch: Partial<typeof f>) => setF({ ...f, ...patch });
  const create = useMutation({
    mutationFn: async () => {
      // Checked before the device exists, so a typo does not leave a half-made device behind.
      const sim = f.simulate ? simSettings(f.interval, '0') : undefined;
      const ids = { device_id: f.id, dev_eui: f.devEui || undefined, join_eui: f.joinEui || undefined };
      const dev = await api<EndDevice>(`${appPath(app)}/devices`, {
        method: 'POST',
        json: { end_device: { ids, name: f.name || undefined } },
      });
      if (sim) await startSimulator(app, f.id, sim);
      return dev;
    },
    onSuccess: async (dev) => {
      await qc.invalidateQueries({ queryKey: devicesKey(app) });
      onDone();
      router.push(`/applications/${app}/devices/${dev.ids.device_id}`);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <form
      onSubmit={submit}
      className="space-y-3 border-b border-slate-200 bg-slate-50/60 p-4"
      data-testid="create-device-form"
    >
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <Label text="Device ID">
          <input
            className={`${inputClass} font-mono`}
            name="device_id"
            required
            value={f.id}
            onChange={(e) => set({ id: e.target.value.toLowerCase() })}
          />
        </Label>
        <Label text="Name">
          <input
            className={inputClass}
            name="name"
            maxLength={50}
            value={f.name}
            onChange={(e) => set({ name: e.target.value })}
          />
        </Label>
        <Label text="DevEUI">
          <div className="flex gap-1">
            <input
              className={`${inputClass} font-mono`}
              name="dev_eui"
              placeholder="16 hex digits"
              value={f.devEui}
              onChange={(e) => set({ devEui: e.target.value.toUpperCase() })}
            />
            <Button
              size="sm"
              className="h-[34px]"
              onClick={() => set({ devEui: randomEui() })}
              title="Generate a random DevEUI"
            >
              ↻
            </Button>
          </div>
        </Label>
        <Label text="JoinEUI">
          <input
            className={`${inputClass} font-mono`}
            name="join_eui"
            value={f.joinEui}
            onChange={(e) => set({ joinEui: e.target.value.toUpperCase() })}
          />
        </Label>
      </div>
      <div className="flex flex-wrap items-center gap-4 text-sm">
        <label className="flex items-center gap-2">
          <input
            type="checkbox"
            data-testid="simulate-device"
            checked={f.simulate}
            onChange={(e) => set({ simulate: e.target.checked })}
          />
          Simulate this device
        </label>
        {f.simulate && (
          <label className="flex items-center gap-2 whitespace-nowrap text-slate-600">
            uplink every
            <input
              name="sim_interval"
              inputMode="decimal"
              className={`${inputClass} w-20`}
              value={f.interval}
              onChange={(e) => set({ interval: e.target.value })}
            />
            seconds
          </label>
        )}
      </div>
      <ErrorText error={create.error} />
      <div className="flex gap-2">
        <Button
          type="submit"
          variant="primary"
          disabled={create.isPending}
          data-testid="create-device-submit"
        >
          Create device
        </Button>
        <Button variant="ghost" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
