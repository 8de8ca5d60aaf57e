'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { api } from '@/lib/apiClient';
import type { Application } from './apiTypes';
import { Button, ErrorText, inputClass, Label } from './ui';

export function CreateApplicationForm({ onDone }: { onDone: () => void }) {
  const qc = useQueryClient();
  const router = useRouter();
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const create = useMutation({
    mutationFn: () =>
      api<Application>('/api/v3/applications', {
        method: 'POST',
        json: { application: { ids: { application_id: id }, name: name || undefined } },
      }),
    onSuccess: async (app) => {
      await qc.invalidateQueries({ queryKey: ['applications'] });
      onDone();
      router.push(`/applications/${app.ids.application_id}`);
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
      data-testid="create-app-form"
    >
      <div className="grid gap-3 sm:grid-cols-2">
        <Label text="Application ID" hint="lowercase letters, digits and dashes; 3–36 characters">
          <input
            className={`${inputClass} font-mono`}
            name="application_id"
            value={id}
            onChange={(e) => setId(e.target.value.toLowerCase())}
            required
          />
        </Label>
        <Label text="Name">
          <input
            className={inputClass}
            name="name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={50}
          />
        </Label>
      </div>
      <ErrorText error={create.error} />
      <div className="flex gap-2">
        <Button type="submit" variant="primary" disabled={create.isPending} data-testid="create-app-submit">
          Create application
        </Button>
        <Button variant="ghost" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
