'use client';

import { type FormEvent, useState } from 'react';
import type { ApiKey } from '../apiTypes';
import { Button, ErrorText, inputClass, Label } from '../ui';
import { EXPIRY_OPTIONS, expiresAt } from './expiry';
import { PRESETS, RightsPicker } from './RightsPicker';

export interface ApiKeyInput {
  name: string;
  rights: string[];
  expires_at: string | null;
}

interface ApiKeyFormProps {
  existing?: ApiKey;
  busy: boolean;
  error: unknown;
  onSubmit: (input: ApiKeyInput) => void;
  onCancel: () => void;
}

/** Create (MQTT preset by default: least privilege) or edit name, rights and expiry. */
export function ApiKeyForm({ existing, busy, error, onSubmit, onCancel }: ApiKeyFormProps) {
  const [name, setName] = useState(existing?.name ?? '');
  const [rights, setRights] = useState<string[]>(existing?.rights ?? [...PRESETS.mqtt.rights]);
  const [expiry, setExpiry] = useState(existing?.expires_at ? 'date' : '');
  const [date, setDate] = useState(existing?.expires_at?.slice(0, 10) ?? '');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    // An unchanged date keeps the exact expiry, so renaming a key does not move it.
    const unchanged = expiry === 'date' && existing?.expires_at?.slice(0, 10) === date;
    onSubmit({
      name,
      rights,
      expires_at: unchanged ? (existing?.expires_at ?? null) : expiresAt(expiry, date),
    });
  };
  return (
    <form
      onSubmit={submit}
      className="space-y-3 border-b border-slate-200 bg-slate-50/60 p-4"
      data-testid="api-key-form"
    >
      <div className="grid gap-3 sm:grid-cols-[1fr_12rem_12rem]">
        <Label text="Name">
          <input
            className={inputClass}
            name="name"
            maxLength={50}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </Label>
        <Label text="Expires">
          <select
            className={inputClass}
            data-testid="expiry"
            value={expiry}
            onChange={(e) => setExpiry(e.target.value)}
          >
            {EXPIRY_OPTIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </Label>
        {expiry === 'date' && (
          <Label text="Date">
            <input
              type="date"
              className={inputClass}
              value={date}
              onChange={(e) => setDate(e.target.value)}
              required
            />
          </Label>
        )}
      </div>
      <RightsPicker rights={rights} onChange={setRights} />
      <ErrorText error={error} />
      <div className="flex gap-2">
        <Button
          type="submit"
          variant="primary"
          disabled={busy || rights.length === 0}
          data-testid="api-key-submit"
        >
          {existing ? 'Save changes' : 'Create API key'}
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
