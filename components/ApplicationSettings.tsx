'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { api } from '@/lib/apiClient';
import { type Application, appPath } from './apiTypes';
import { ConfirmDialog } from './ConfirmDialog';
import { Button, Card, ErrorText, inputClass, Label } from './ui';

/**
 * An application's general settings (TTS console's "General settings"): name and description,
 * and deleting it behind its ID typed out, since everything under it goes with it.
 */
export function ApplicationSettings({ initial }: { initial: Application }) {
  const router = useRouter();
  const id = initial.ids.application_id;
  const [form, setForm] = useState({ name: initial.name ?? '', description: initial.description ?? '' });
  const [deleting, setDeleting] = useState(false);
  const save = useMutation({
    mutationFn: () =>
      api<Application>(appPath(id), {
        method: 'PUT',
        json: { application: form },
      }),
    // The layout's header shows the name: a refresh re-renders it from the server.
    onSuccess: () => router.refresh(),
  });
  const remove = useMutation({
    mutationFn: () => api(appPath(id), { method: 'DELETE' }),
    onSuccess: () => router.push('/'),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <div className="flex max-w-2xl flex-col gap-5">
      <Card title="General settings" testId="app-settings">
        <form onSubmit={submit} className="space-y-4 p-4" data-testid="app-settings-form">
          <Label text="Name">
            <input
              className={inputClass}
              name="name"
              maxLength={50}
              value={form.name}
              onChange={(e) => setForm({ ...form, name: e.target.value })}
            />
          </Label>
          <Label text="Description">
            <textarea
              className={inputClass}
              name="description"
              rows={3}
              maxLength={2000}
              value={form.description}
              onChange={(e) => setForm({ ...form, description: e.target.value })}
            />
          </Label>
          <ErrorText error={save.error} />
          {save.isSuccess && (
            <p className="text-sm text-emerald-700" data-testid="settings-saved">
              Saved.
            </p>
          )}
          <Button type="submit" variant="primary" disabled={save.isPending} data-testid="app-settings-submit">
            {save.isPending ? 'Saving…' : 'Save changes'}
          </Button>
        </form>
      </Card>
      <Card title="Delete application">
        <div className="flex items-center justify-between gap-4 p-4 text-sm text-slate-600">
          <p>Its devices, API keys, downlink queues and stored events are deleted too.</p>
          <Button variant="danger" onClick={() => setDeleting(true)} data-testid="delete-application">
            Delete application
          </Button>
        </div>
      </Card>
      {deleting && (
        <ConfirmDialog
          title={`Delete application ${id}?`}
          confirmLabel="Delete application"
          busy={remove.isPending}
          error={remove.error}
          typeToConfirm={id}
          onConfirm={() => remove.mutate()}
          onCancel={() => setDeleting(false)}
        >
          This cannot be undone.
        </ConfirmDialog>
      )}
    </div>
  );
}
