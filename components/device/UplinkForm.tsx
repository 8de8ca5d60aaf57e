'use client';

import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Button, ErrorText, inputClass, Label } from '../ui';
import { hexToBase64, parseFPort } from './payload';
import { simulateUplink } from './simApi';

/** TTS's "Simulate uplink": published with `simulated: true`. */
export function UplinkForm({ app, dev }: { app: string; dev: string }) {
  const [fPort, setFPort] = useState('1');
  const [hex, setHex] = useState('');
  const send = useMutation({
    mutationFn: async () => simulateUplink(app, dev, parseFPort(fPort), hexToBase64(hex)),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    send.mutate();
  };
  return (
    <form onSubmit={submit} className="space-y-3 p-4" data-testid="uplink-form">
      <div className="grid grid-cols-[5rem_1fr] gap-3">
        <Label text="FPort">
          <input
            className={inputClass}
            name="up_f_port"
            inputMode="numeric"
            value={fPort}
            onChange={(e) => setFPort(e.target.value)}
          />
        </Label>
        <Label text="Payload (hex)">
          <input
            className={`${inputClass} font-mono`}
            name="up_payload"
            placeholder="01 02 03"
            value={hex}
            onChange={(e) => setHex(e.target.value)}
          />
        </Label>
      </div>
      <ErrorText error={send.error} testId="uplink-error" />
      <Button type="submit" disabled={send.isPending} data-testid="uplink-submit">
        Simulate uplink
      </Button>
    </form>
  );
}
