'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { api } from '@/lib/apiClient';
import { appPath, type EndDevice } from './apiTypes';
import { LorawanFields } from './device/LorawanFields';
import { createBody, hexProblem, type LorawanForm, newLorawanForm } from './device/lorawanForm';
import { simSettings, startSimulator } from './device/simApi';
import { devicesKey } from './devices/useDevicePage';
import { Button, ErrorText, inputClass, Label } from './ui';

export function CreateDeviceForm({ app, onDone }: { app: string; onDone: () => void }) {
  const qc = useQueryClient();
  const router = useRouter();
  const [f, setF] = useState({
    id: '',
    name: '',
    simulate: true,
    interval: '10',
  });
  const [lorawan, setLorawan] = useState<LorawanForm>(newLorawanForm);
  const set = (patch: Partial<typeof f>) => setF({ ...f, ...patch });
  // The simulator joins over the air: an ABP device is not one it can play.
  const simulate = f.simulate && lorawan.activation !== 'abp';
  const create = useMutation({
    mutationFn: async () => {
      // Checked before the device exists, so a typo does not leave a half-made device behind.
      const sim = simulate ? simSettings(f.interval, '0') : undefined;
      const problem = hexProblem(lorawan);
      if (problem) throw new Error(problem);
      const dev = await api<EndDevice>(`${appPath(app)}/devices`, {
        method: 'POST',
        json: createBody({ device_id: f.id, name: f.name || undefined }, lorawan),
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
      <div className="grid gap-3 sm:grid-cols-2">
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
      </div>
      <LorawanFields value={lorawan} onChange={setLorawan} />
      <div className="flex flex-wrap items-center gap-4 text-sm">
        <label className="flex items-center gap-2">
          <input
            type="checkbox"
            data-testid="simulate-device"
            checked={simulate}
            disabled={lorawan.activation === 'abp'}
            onChange={(e) => set({ simulate: e.target.checked })}
          />
          Simulate this device
        </label>
        {simulate && (
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
