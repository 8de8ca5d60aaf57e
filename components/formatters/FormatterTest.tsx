'use client';

import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { api } from '@/lib/apiClient';
import type { FormatterChoice } from '@/lib/formatters/model';
import { base64ToHex } from '@/lib/live/preview';
import { hexToBase64 } from '../device/payload';
import { Button, ErrorText, inputClass, Label } from '../ui';
import { type FormatterScope, lastUplink, testPath } from './formatterApi';

interface TestResult {
  f_port?: number;
  frm_payload?: string;
  decoded_payload?: unknown;
  warnings?: string[];
  normalized_payload?: unknown[];
  normalized_payload_warnings?: string[];
  error?: { name: string; message_format: string; attributes?: { line?: number } };
}

interface Sample {
  fPort: string;
  input: string;
}

/**
 * Runs the formatter as it is in the editor, unsaved: bytes + FPort in, decoded JSON out for
 * uplinks; JSON in, bytes out for downlinks. A script's failure is shown as its result, and its
 * line (when the server names one) goes to `onErrorLine` for the editor's mark.
 */
export function FormatterTest({
  scope,
  direction,
  choice,
  onErrorLine,
}: {
  scope: FormatterScope;
  direction: 'up' | 'down';
  choice: FormatterChoice;
  onErrorLine: (line: number | undefined) => void;
}) {
  const app = scope.app;
  const [fPort, setFPort] = useState('1');
  const [input, setInput] = useState(direction === 'up' ? '' : '{}');
  const run = useMutation({
    mutationFn: async ({ fPort, input }: Sample) => {
      const formatters =
        direction === 'up'
          ? { up_formatter: choice.formatter, up_formatter_parameter: choice.parameter }
          : { down_formatter: choice.formatter, down_formatter_parameter: choice.parameter };
      let body: Record<string, unknown>;
      if (direction === 'up') {
        body = { formatters, uplink: { f_port: Number(fPort), frm_payload: hexToBase64(input) } };
      } else {
        let data: unknown;
        try {
          data = JSON.parse(input);
        } catch {
          throw new Error('the test input must be a valid JSON object');
        }
        body = { formatters, downlink: { f_port: Number(fPort), decoded_payload: data } };
      }
      return api<TestResult>(testPath(app), { method: 'POST', json: body });
    },
  });
  const errorLine = run.data?.error?.attributes?.line;
  useEffect(() => onErrorLine(errorLine), [errorLine, onErrorLine]);
  const fromLastUplink = useMutation({
    mutationFn: () => lastUplink(scope),
    onSuccess: (up) => {
      if (!up) return;
      const sample = { fPort: String(up.fPort), input: base64ToHex(up.frmPayload) };
      setFPort(sample.fPort);
      setInput(sample.input);
      run.mutate(sample);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    run.mutate({ fPort, input });
  };
  const r = run.data;
  return (
    <form onSubmit={submit} className="space-y-3" data-testid="formatter-test">
      <div className="grid grid-cols-[5rem_1fr] gap-3">
        <Label text="FPort">
          <input
            className={inputClass}
            name="test_f_port"
            inputMode="numeric"
            value={fPort}
            onChange={(e) => setFPort(e.target.value)}
          />
        </Label>
        <Label text={direction === 'up' ? 'Bytes (hex)' : 'Decoded payload (JSON)'}>
          <input
            className={`${inputClass} font-mono`}
            name="test_input"
            placeholder={direction === 'up' ? '08 CA 5B' : '{"interval_s": 60}'}
            value={input}
            onChange={(e) => setInput(e.target.value)}
          />
        </Label>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <Button type="submit" disabled={run.isPending} data-testid="formatter-test-run">
          {direction === 'up' ? 'Decode' : 'Encode'}
        </Button>
        {direction === 'up' && (
          <Button
            onClick={() => fromLastUplink.mutate()}
            disabled={fromLastUplink.isPending || run.isPending}
            data-testid="formatter-test-last-uplink"
          >
            Test with the last uplink
          </Button>
        )}
      </div>
      {fromLastUplink.data === null && (
        <p className="text-xs text-slate-700" data-testid="formatter-test-no-uplink">
          No uplink is stored for {scope.dev ? 'this device' : 'this application'} yet.
        </p>
      )}
      <ErrorText error={run.error ?? fromLastUplink.error} testId="formatter-test-request-error" />
      {r?.error && (
        <p
          role="alert"
          data-testid="formatter-test-error"
          className="rounded-md border border-red-200 bg-red-50 px-3 py-2 font-mono text-xs text-red-800"
        >
          {r.error.name}: {r.error.message_format}
          {errorLine !== undefined && (
            <span data-testid="formatter-test-error-line"> (line {errorLine})</span>
          )}
        </p>
      )}
      {r && !r.error && (
        <div className="space-y-1" data-testid="formatter-test-output">
          {r.frm_payload !== undefined && (
            <p className="font-mono text-xs text-slate-700">
              FPort {r.f_port} · bytes {base64ToHex(r.frm_payload) || '(empty)'}
            </p>
          )}
          {r.decoded_payload !== undefined && (
            <pre className="max-h-64 overflow-auto rounded-md bg-slate-900 p-3 font-mono text-xs text-slate-100">
              {JSON.stringify(r.decoded_payload, null, 2)}
            </pre>
          )}
          {r.normalized_payload !== undefined && (
            <>
              <p className="text-xs font-medium text-slate-600">normalizeUplink</p>
              <pre
                className="max-h-64 overflow-auto rounded-md bg-slate-900 p-3 font-mono text-xs text-slate-100"
                data-testid="formatter-test-normalized"
              >
                {JSON.stringify(r.normalized_payload, null, 2)}
              </pre>
            </>
          )}
          {r.normalized_payload_warnings?.map((w) => (
            <p key={`n-${w}`} className="text-xs text-amber-700">
              normalizeUplink warning: {w}
            </p>
          ))}
          {r.frm_payload === undefined && r.decoded_payload === undefined && (
            <p className="text-xs text-slate-500">No formatter: the payload passes unchanged.</p>
          )}
          {r.warnings?.map((w) => (
            <p key={w} className="text-xs text-amber-700">
              warning: {w}
            </p>
          ))}
        </div>
      )}
    </form>
  );
}
