'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '@/lib/apiClient';
import { type ApiKey, appPath, enc } from '../apiTypes';
import { ConfirmDialog } from '../ConfirmDialog';
import { KeyReveal } from '../KeyReveal';
import { Button, Card } from '../ui';
import { ApiKeyForm, type ApiKeyInput } from './ApiKeyForm';
import { ApiKeyTable } from './ApiKeyTable';

type Mode =
  | { kind: 'list' }
  | { kind: 'create' }
  | { kind: 'edit'; key: ApiKey }
  | { kind: 'delete'; key: ApiKey };

export function ApiKeysPanel({ app }: { app: string }) {
  const qc = useQueryClient();
  const base = `${appPath(app)}/api-keys`;
  const queryKey = ['api-keys', app];
  const [mode, setMode] = useState<Mode>({ kind: 'list' });
  const { data = [], error } = useQuery({
    queryKey,
    queryFn: async () => (await api<{ api_keys: ApiKey[] }>(base)).api_keys,
  });
  const done = async () => {
    setMode({ kind: 'list' });
    await qc.invalidateQueries({ queryKey });
  };
  const create = useMutation({
    mutationFn: (input: ApiKeyInput) =>
      api<ApiKey & { key: string }>(base, {
        method: 'POST',
        json: { ...input, expires_at: input.expires_at ?? undefined },
      }),
    onSuccess: done,
  });
  const update = useMutation({
    mutationFn: ({ id, input }: { id: string; input: ApiKeyInput }) =>
      api<ApiKey>(`${base}/${enc(id)}`, { method: 'PUT', json: { api_key: input } }),
    onSuccess: done,
  });
  const remove = useMutation({
    mutationFn: (id: string) => api(`${base}/${enc(id)}`, { method: 'DELETE' }),
    onSuccess: done,
  });

  return (
    <Card
      title="API keys"
      testId="api-keys"
      actions={
        <Button
          variant="primary"
          size="sm"
          data-testid="new-api-key"
          onClick={() => {
            create.reset();
            setMode({ kind: 'create' });
          }}
        >
          + New API key
        </Button>
      }
    >
      {create.data && (
        <div className="border-b border-slate-200 p-4">
          <KeyReveal
            apiKey={create.data.key}
            rights={create.data.rights ?? []}
            onDone={() => create.reset()}
          />
        </div>
      )}
      {mode.kind === 'create' && (
        <ApiKeyForm
          busy={create.isPending}
          error={create.error}
          onSubmit={(i) => create.mutate(i)}
          onCancel={() => setMode({ kind: 'list' })}
        />
      )}
      {mode.kind === 'edit' && (
        <ApiKeyForm
          key={mode.key.id}
          existing={mode.key}
          busy={update.isPending}
          error={update.error}
          onSubmit={(input) => update.mutate({ id: mode.key.id, input })}
          onCancel={() => setMode({ kind: 'list' })}
        />
      )}
      <ApiKeyTable
        keys={data}
        error={error}
        onEdit={(key) => {
          update.reset();
          setMode({ kind: 'edit', key });
        }}
        onDelete={(key) => {
          remove.reset();
          setMode({ kind: 'delete', key });
        }}
      />
      {mode.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete API key ${mode.key.name || mode.key.id}?`}
          confirmLabel="Delete key"
          busy={remove.isPending}
          error={remove.error}
          onConfirm={() => remove.mutate(mode.key.id)}
          onCancel={() => setMode({ kind: 'list' })}
        >
          Clients using it stop working at once, including open MQTT connections.
        </ConfirmDialog>
      )}
    </Card>
  );
}
