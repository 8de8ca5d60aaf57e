'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { api } from '@/lib/apiClient';
import { type Gateway, gatewayPath } from '../apiTypes';
import { ConfirmDialog } from '../ConfirmDialog';
import { RelativeTime } from '../RelativeTime';
import { Button, Card, ErrorText, Fact } from '../ui';
import { antennasOf, draftOf, GatewayFields } from './GatewayFields';

const place = (g: Gateway) => {
  const l = g.antennas?.[0]?.location;
  if (!l) return '—';
  return `${l.latitude}, ${l.longitude}${l.altitude === undefined ? '' : ` · ${l.altitude} m`}`;
};

/** The registration: facts, an edit form (name, description, plan, location), delete. */
export function GatewayDetails({ initial }: { initial: Gateway }) {
  const id = initial.ids.gateway_id;
  const qc = useQueryClient();
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [draft, setDraft] = useState(() => draftOf(initial));
  const { data } = useQuery({
    queryKey: ['gateway', id],
    queryFn: () => api<Gateway>(gatewayPath(id)),
    initialData: initial,
  });
  const save = useMutation({
    // Every edited field in the mask: an emptied description or location is cleared.
    mutationFn: () =>
      api<Gateway>(gatewayPath(id), {
        method: 'PUT',
        json: {
          gateway: {
            name: draft.name,
            description: draft.description,
            frequency_plan_id: draft.plan,
            antennas: antennasOf(draft),
          },
          field_mask: { paths: ['name', 'description', 'frequency_plan_id', 'antennas'] },
        },
      }),
    onSuccess: async (g) => {
      qc.setQueryData(['gateway', id], g);
      await qc.invalidateQueries({ queryKey: ['gateways'] });
      setEditing(false);
      // The page's heading shows the name too.
      router.refresh();
    },
  });
  const remove = useMutation({
    mutationFn: () => api(gatewayPath(id), { method: 'DELETE' }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['gateways'] });
      router.push('/gateways');
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const startEditing = () => {
    setDraft(draftOf(data));
    save.reset();
    setEditing(true);
  };
  return (
    <Card
      title="Registration"
      testId="gateway-details"
      actions={
        !editing && (
          <>
            <Button size="sm" onClick={startEditing} data-testid="edit-gateway">
              Edit
            </Button>
            <Button size="sm" variant="danger" onClick={() => setDeleting(true)} data-testid="delete-gateway">
              Delete
            </Button>
          </>
        )
      }
    >
      {editing ? (
        <form onSubmit={submit} className="space-y-3 p-4" data-testid="edit-gateway-form">
          <GatewayFields draft={draft} onChange={setDraft} creating={false} />
          <ErrorText error={save.error} />
          <div className="flex gap-2">
            <Button type="submit" variant="primary" disabled={save.isPending} data-testid="save-gateway">
              Save
            </Button>
            <Button variant="ghost" onClick={() => setEditing(false)}>
              Cancel
            </Button>
          </div>
        </form>
      ) : (
        <dl className="grid gap-x-8 gap-y-3 p-4 sm:grid-cols-3">
          <Fact label="EUI">
            <span className="font-mono">{data.ids.eui}</span>
          </Fact>
          <Fact label="Name" testId="gateway-name">
            {data.name ?? '—'}
          </Fact>
          <Fact label="Frequency plan">
            <span className="font-mono">{data.frequency_plan_id}</span>
          </Fact>
          <Fact label="Location" testId="gateway-location">
            <span className="font-mono">{place(data)}</span>
          </Fact>
          <Fact label="Created">
            <RelativeTime iso={data.created_at} />
          </Fact>
          <Fact label="Updated">
            <RelativeTime iso={data.updated_at} />
          </Fact>
          {data.description && (
            <div className="sm:col-span-3">
              <Fact label="Description">{data.description}</Fact>
            </div>
          )}
        </dl>
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete gateway ${id}?`}
          confirmLabel="Delete gateway"
          busy={remove.isPending}
          error={remove.error}
          onConfirm={() => remove.mutate()}
          onCancel={() => setDeleting(false)}
        >
          Its packet forwarder's traffic will no longer be accepted. This cannot be undone.
        </ConfirmDialog>
      )}
    </Card>
  );
}
