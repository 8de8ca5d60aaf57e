'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '@/lib/apiClient';
import type { Gateway } from '../apiTypes';
import { Button, ErrorText } from '../ui';
import { antennasOf, draftOf, GatewayFields } from './GatewayFields';

/** A suggested gateway ID for an EUI heard unregistered, as TTS's console suggests one. */
export const idForEui = (eui: string) => `eui-${eui.toLowerCase()}`;

/**
 * `POST /api/v3/gateways`; the API's message is shown as it is, and nothing is added on error.
 * `eui`: a gateway heard unregistered, filled in with an ID suggested from it.
 */
export function AddGatewayForm({ onDone, eui }: { onDone: () => void; eui?: string }) {
  const qc = useQueryClient();
  const [draft, setDraft] = useState(() => ({
    ...draftOf(),
    ...(eui ? { eui, id: idForEui(eui) } : {}),
  }));
  const create = useMutation({
    mutationFn: () =>
      api<Gateway>('/api/v3/gateways', {
        method: 'POST',
        json: {
          gateway: {
            ids: { gateway_id: draft.id, eui: draft.eui },
            name: draft.name || undefined,
            description: draft.description || undefined,
            frequency_plan_id: draft.plan,
            antennas: antennasOf(draft),
          },
        },
      }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['gateways'] });
      await qc.invalidateQueries({ queryKey: ['gateways-unregistered'] });
      onDone();
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
      data-testid="add-gateway-form"
    >
      <GatewayFields draft={draft} onChange={setDraft} creating />
      <ErrorText error={create.error} />
      <div className="flex gap-2">
        <Button type="submit" variant="primary" disabled={create.isPending} data-testid="add-gateway-submit">
          Add gateway
        </Button>
        <Button variant="ghost" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
