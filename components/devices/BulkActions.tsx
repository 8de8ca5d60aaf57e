'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '@/lib/apiClient';
import { devicePath } from '../apiTypes';
import { ConfirmDialog } from '../ConfirmDialog';
import { startSimulator, stopSimulator } from '../device/simApi';
import { Button } from '../ui';

/** The simulator's defaults (docs/behaviour.md §8): an uplink every 10 s, no ack loss. */
const SIM_DEFAULTS = { interval: 10_000, ack_loss: 0 };

/** Runs `fn` for each device, four at a time; resolves with `device: reason` of each failure. */
function useEach(
  devices: string[],
  fn: (dev: string) => Promise<unknown>,
  onSettled: (failed: string[]) => Promise<void>,
) {
  return useMutation({
    mutationFn: async () => {
      const failed: string[] = [];
      const queue = [...devices];
      const worker = async () => {
        for (let dev = queue.shift(); dev !== undefined; dev = queue.shift())
          await fn(dev).catch((e: unknown) =>
            failed.push(`${dev}: ${e instanceof Error ? e.message : String(e)}`),
          );
      };
      await Promise.all([worker(), worker(), worker(), worker()]);
      return failed;
    },
    onSuccess: onSettled,
  });
}

/**
 * What the list does to the ticked devices: delete them (confirmed), start or stop their
 * simulators. One request per device, a few at a time; what fails is named, the rest is done.
 */
export function BulkActions({
  app,
  selected,
  onDone,
}: {
  app: string;
  selected: string[];
  onDone: (left: string[]) => void;
}) {
  const qc = useQueryClient();
  const [deleting, setDeleting] = useState(false);
  const [outcome, setOutcome] = useState<string>();
  /** Deleted devices leave the selection; after a simulator action it stays, to undo it. */
  const finished = async (verb: string, failed: string[], deleted: boolean) => {
    const done = selected.length - failed.length;
    setOutcome(
      failed.length === 0
        ? `${verb} ${done} device${done === 1 ? '' : 's'}.`
        : `${verb} ${done} of ${selected.length}; failed: ${failed.join('; ')}`,
    );
    await qc.invalidateQueries({ queryKey: ['devices', app] });
    if (deleted) onDone(failed.map((f) => f.slice(0, f.indexOf(':'))));
  };
  const remove = useEach(
    selected,
    (dev) => api(devicePath(app, dev), { method: 'DELETE' }),
    (failed) => finished('Deleted', failed, true),
  );
  const start = useEach(
    selected,
    (dev) => startSimulator(app, dev, SIM_DEFAULTS),
    (failed) => finished('Started the simulator of', failed, false),
  );
  const stop = useEach(
    selected,
    (dev) => stopSimulator(app, dev),
    (failed) => finished('Stopped the simulator of', failed, false),
  );
  const busy = remove.isPending || start.isPending || stop.isPending;
  const n = selected.length;
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm" data-testid="bulk-actions">
      <span className="text-slate-600" data-testid="selected-count">
        {n} selected
      </span>
      <Button
        size="sm"
        disabled={n === 0 || busy}
        onClick={() => start.mutate()}
        data-testid="bulk-sim-start"
      >
        Start simulators
      </Button>
      <Button size="sm" disabled={n === 0 || busy} onClick={() => stop.mutate()} data-testid="bulk-sim-stop">
        Stop simulators
      </Button>
      <Button
        size="sm"
        variant="danger"
        disabled={n === 0 || busy}
        onClick={() => setDeleting(true)}
        data-testid="bulk-delete"
      >
        Delete…
      </Button>
      {outcome && (
        <span className="text-slate-600" role="status" data-testid="bulk-outcome">
          {outcome}
        </span>
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete ${n} device${n === 1 ? '' : 's'}?`}
          confirmLabel={`Delete ${n}`}
          busy={remove.isPending}
          onConfirm={() => remove.mutate(undefined, { onSettled: () => setDeleting(false) })}
          onCancel={() => setDeleting(false)}
        >
          {selected.slice(0, 5).join(', ')}
          {n > 5 ? ` and ${n - 5} more` : ''}: keys, sessions and downlink queues go with them.
        </ConfirmDialog>
      )}
    </div>
  );
}
