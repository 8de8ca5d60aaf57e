'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { api } from '@/lib/apiClient';
import { type Application, appPath } from './apiTypes';
import { ConfirmDialog } from './ConfirmDialog';
import { CreateApplicationForm } from './CreateApplicationForm';
import { RelativeTime } from './RelativeTime';
import { Button, Card, Td, Th } from './ui';

export function ApplicationList({ initial }: { initial: Application[] }) {
  const qc = useQueryClient();
  const [creating, setCreating] = useState(initial.length === 0);
  const [deleting, setDeleting] = useState<string>();
  const { data } = useQuery({
    queryKey: ['applications'],
    queryFn: async () => (await api<{ applications: Application[] }>('/api/v3/applications')).applications,
    initialData: initial,
  });
  const remove = useMutation({
    mutationFn: (id: string) => api(appPath(id), { method: 'DELETE' }),
    onSuccess: async () => {
      setDeleting(undefined);
      await qc.invalidateQueries({ queryKey: ['applications'] });
    },
  });
  return (
    <Card
      title="Applications"
      actions={
        <Button variant="primary" size="sm" onClick={() => setCreating(true)} data-testid="new-app">
          + New application
        </Button>
      }
    >
      {creating && <CreateApplicationForm onDone={() => setCreating(false)} />}
      <table className="w-full text-sm" data-testid="app-table">
        <thead className="border-b border-slate-200 bg-slate-50">
          <tr>
            <Th>ID</Th>
            <Th>Name</Th>
            <Th>Created</Th>
            <Th />
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {data.map((a) => (
            <tr key={a.ids.application_id} className="hover:bg-slate-50" data-testid="app-row">
              <Td>
                <Link
                  href={`/applications/${a.ids.application_id}`}
                  className="font-mono font-medium text-indigo-700 hover:underline"
                >
                  {a.ids.application_id}
                </Link>
              </Td>
              <Td className="text-slate-700">{a.name}</Td>
              <Td className="text-slate-500">
                <RelativeTime iso={a.created_at} />
              </Td>
              <Td className="text-right">
                <Button
                  size="sm"
                  variant="ghost"
                  onClick={() => setDeleting(a.ids.application_id)}
                  data-testid="delete-app"
                >
                  Delete
                </Button>
              </Td>
            </tr>
          ))}
          {data.length === 0 && (
            <tr>
              <Td colSpan={4} className="py-6 text-center text-slate-500">
                No applications yet.
              </Td>
            </tr>
          )}
        </tbody>
      </table>
      {deleting && (
        <ConfirmDialog
          title={`Delete application ${deleting}?`}
          confirmLabel="Delete application"
          busy={remove.isPending}
          error={remove.error}
          typeToConfirm={deleting}
          onConfirm={() => remove.mutate(deleting)}
          onCancel={() => setDeleting(undefined)}
        >
          Its devices, API keys, downlink queues and stored events are deleted too. This cannot be undone.
        </ConfirmDialog>
      )}
    </Card>
  );
}
