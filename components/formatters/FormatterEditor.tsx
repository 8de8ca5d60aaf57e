'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api } from '@/lib/apiClient';
import {
  downChoice,
  type FormatterChoice,
  type MessagePayloadFormatters,
  SUPPORTED_FORMATTERS,
  type SupportedFormatter,
  upChoice,
} from '@/lib/formatters/model';
import { Button, Card, ErrorText, inputClass, Label } from '../ui';
import { FormatterStatus, formatterStatusKey } from './FormatterStatus';
import { FormatterTest } from './FormatterTest';
import {
  DOWNLINK_TEMPLATE,
  FORMATTER_LABELS,
  type FormatterScope,
  formattersKey,
  formattersOf,
  formattersPath,
  saveBody,
  UPLINK_TEMPLATE,
} from './formatterApi';

type Direction = 'up' | 'down';

/**
 * The payload formatters of an application (its defaults) or of one device (an override of
 * them), docs/behaviour.md §7: one formatter per direction, a script editor, and a test pane that runs
 * what is in the editor before it is saved.
 */
export function FormatterEditor({ scope }: { scope: FormatterScope }) {
  const qc = useQueryClient();
  const { data, error } = useQuery({
    queryKey: formattersKey(scope),
    queryFn: () => api<Record<string, unknown>>(formattersPath(scope)),
  });
  const [draft, setDraft] = useState<Record<Direction, FormatterChoice>>();
  const [override, setOverride] = useState(false);
  const [direction, setDirection] = useState<Direction>('up');

  useEffect(() => {
    if (!data || draft) return;
    const saved = formattersOf(scope, data);
    setDraft({ up: upChoice(saved), down: downChoice(saved) });
    setOverride(saved !== undefined);
  }, [data, draft, scope]);

  const save = useMutation({
    mutationFn: async () => {
      if (!draft) return;
      const f: MessagePayloadFormatters = {
        up_formatter: draft.up.formatter,
        up_formatter_parameter:
          draft.up.formatter === 'FORMATTER_JAVASCRIPT' ? draft.up.parameter : undefined,
        down_formatter: draft.down.formatter,
        down_formatter_parameter:
          draft.down.formatter === 'FORMATTER_JAVASCRIPT' ? draft.down.parameter : undefined,
      };
      const keep = !scope.dev || override;
      await api(formattersPath(scope), { method: 'PUT', json: saveBody(scope, keep ? f : null) });
    },
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: formattersKey(scope) });
      void qc.invalidateQueries({ queryKey: formatterStatusKey(scope.app) });
    },
  });

  if (error) return <ErrorText error={error} />;
  if (!draft) return <p className="text-sm text-slate-500">Loading…</p>;
  const choice = draft[direction];
  const setChoice = (patch: Partial<FormatterChoice>) => {
    save.reset();
    setDraft({ ...draft, [direction]: { ...choice, ...patch } });
  };
  const pickFormatter = (formatter: SupportedFormatter) =>
    setChoice({
      formatter,
      parameter:
        formatter === 'FORMATTER_JAVASCRIPT' && !choice.parameter
          ? direction === 'up'
            ? UPLINK_TEMPLATE
            : DOWNLINK_TEMPLATE
          : choice.parameter,
    });
  const editable = !scope.dev || override;

  return (
    <div className="flex flex-col gap-5" data-testid="formatter-editor">
      <FormatterStatus app={scope.app} />
      {scope.dev && (
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input
            type="checkbox"
            data-testid="formatter-override"
            checked={override}
            onChange={(e) => {
              save.reset();
              setOverride(e.target.checked);
            }}
          />
          This device has its own formatters (otherwise the application's are used)
        </label>
      )}
      <div className="grid gap-5 xl:grid-cols-[minmax(0,1fr)_26rem]">
        <Card
          title={
            <span className="flex gap-1" role="tablist">
              {(['up', 'down'] as const).map((d) => (
                <button
                  key={d}
                  type="button"
                  role="tab"
                  aria-selected={direction === d}
                  data-testid={`formatter-direction-${d}`}
                  onClick={() => setDirection(d)}
                  className={`rounded px-2 py-0.5 ${direction === d ? 'bg-indigo-50 text-indigo-700' : 'text-slate-500 hover:text-slate-800'}`}
                >
                  {d === 'up' ? 'Uplink' : 'Downlink'}
                </button>
              ))}
            </span>
          }
        >
          <div className="space-y-3 p-4">
            <Label text="Formatter type">
              <select
                className={`${inputClass} max-w-60`}
                data-testid="formatter-type"
                disabled={!editable}
                value={choice.formatter}
                onChange={(e) => pickFormatter(e.target.value as SupportedFormatter)}
              >
                {SUPPORTED_FORMATTERS.map((f) => (
                  <option key={f} value={f}>
                    {FORMATTER_LABELS[f]}
                  </option>
                ))}
              </select>
            </Label>
            {choice.formatter === 'FORMATTER_JAVASCRIPT' && (
              <Label
                text="Formatter code"
                hint={
                  direction === 'up'
                    ? 'decodeUplink({bytes, fPort}) → {data, warnings, errors}; optional normalizeUplink({data}) → {data, warnings, errors}; TTS v2 Decoder(bytes, port) also works'
                    : 'encodeDownlink({data, fPort}) → {bytes, fPort, warnings, errors}; decodeDownlink({bytes, fPort}) → {data}'
                }
              >
                <textarea
                  className={`${inputClass} h-80 font-mono text-xs leading-5`}
                  spellCheck={false}
                  data-testid="formatter-script"
                  disabled={!editable}
                  value={choice.parameter}
                  onChange={(e) => setChoice({ parameter: e.target.value })}
                />
              </Label>
            )}
            {choice.formatter === 'FORMATTER_CAYENNELPP' && (
              <p className="text-sm text-slate-600">
                {direction === 'up'
                  ? 'Uplinks are decoded as Cayenne Low Power Payload: keys like temperature_1, gps_2.'
                  : 'Downlinks encode value_N numbers (channel N) as CayenneLPP.'}
              </p>
            )}
            <ErrorText error={save.error} testId="formatter-save-error" />
            <div className="flex items-center gap-3">
              <Button
                variant="primary"
                onClick={() => save.mutate()}
                disabled={save.isPending}
                data-testid="formatter-save"
              >
                Save formatters
              </Button>
              {save.isSuccess && (
                <span className="text-xs text-emerald-700" data-testid="formatter-saved">
                  Saved.
                </span>
              )}
            </div>
          </div>
        </Card>
        <Card title="Test">
          <div className="p-4">
            <FormatterTest key={direction} app={scope.app} direction={direction} choice={choice} />
          </div>
        </Card>
      </div>
    </div>
  );
}
