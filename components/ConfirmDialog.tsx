'use client';

import { type ReactNode, useEffect, useRef, useState } from 'react';
import { Button, ErrorText, inputClass } from './ui';

interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  busy?: boolean;
  error?: unknown;
  /** Asks for this text to be typed before confirming, as TTS does for an application's ID. */
  typeToConfirm?: string;
  onConfirm: () => void;
  onCancel: () => void;
}

/** A native modal <dialog>: focus trap and Escape come with it. */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  busy,
  error,
  typeToConfirm,
  onConfirm,
  onCancel,
}: ConfirmDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const [typed, setTyped] = useState('');
  const armed = typeToConfirm === undefined || typed === typeToConfirm;
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  return (
    <dialog
      ref={ref}
      data-testid="confirm-dialog"
      onCancel={onCancel}
      className="m-auto w-full max-w-md rounded-lg border border-slate-200 p-0 shadow-xl backdrop:bg-slate-900/30"
    >
      <div className="space-y-3 p-5">
        <h2 className="text-base font-semibold">{title}</h2>
        <div className="text-sm text-slate-600">{children}</div>
        {typeToConfirm !== undefined && (
          <label className="block text-sm text-slate-700">
            Type <code className="font-mono font-semibold">{typeToConfirm}</code> to confirm
            <input
              className={`${inputClass} mt-1 font-mono`}
              data-testid="confirm-type"
              autoComplete="off"
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
            />
          </label>
        )}
        <ErrorText error={error} />
      </div>
      <div className="flex justify-end gap-2 border-t border-slate-100 bg-slate-50 px-5 py-3">
        <Button onClick={onCancel} data-testid="confirm-cancel">
          Cancel
        </Button>
        <Button variant="danger" onClick={onConfirm} disabled={busy || !armed} data-testid="confirm-ok">
          {busy ? 'Working…' : confirmLabel}
        </Button>
      </div>
    </dialog>
  );
}
