'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { api } from '@/lib/apiClient';
import { devicePath } from '../apiTypes';
import { ConfirmDialog } from '../ConfirmDialog';
import { devicesKey } from '../devices/useDevicePage';
import { Button } from '../ui';

/** Deletes the device after a confirmation and goes back to the application's device list. */
export function DeleteDevice({ app, dev }: { app: string; dev: string }) {
  const router = useRouter();
  const qc = useQueryClient();
  const [asking, setAsking] = useState(false);
  const remove = useMutation({
    mutationFn: () => api(devicePath(app, dev), { method: 'DELETE' }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: devicesKey(app) });
      router.push(`/applications/${app}/devices`);
    },
  });
  return (
    <>
      <Button size="sm" variant="ghost" onClick={() => setAsking(true)} data-testid="delete-device">
        Delete device
      </Button>
      {asking && (
        <ConfirmDialog
          title={`Delete device ${dev}?`}
          confirmLabel="Delete device"
          busy={remove.isPending}
          error={remove.error}
          onConfirm={() => remove.mutate()}
          onCancel={() => setAsking(false)}
        >
          Its keys, session and downlink queue are deleted; its stored events stay until they expire. Its
          JoinEUI and DevEUI are free for another device.
        </ConfirmDialog>
      )}
    </>
  );
}
