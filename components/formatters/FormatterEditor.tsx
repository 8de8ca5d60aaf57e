'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { ApiError, api } from '@/lib/apiClient';
import {
  downChoice,
  type FormatterChoice,
  type MessagePayloadFormatters,
  SUPPORTED_FORMATTERS,
  type SupportedFormatter,
  upChoice,
} from '@/lib/formatters/model';
import { ConfirmDialog } from '../ConfirmDialog';
import { Button, Card, ErrorText, inputClass, Label } from '../ui';
import { CodeEditor } from './CodeEditor';
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
import { useUnsavedGuard } from './useUnsavedGuard';

type Direction = 'up' | 'down';
type Draft = Record<Direction, FormatterChoice>;

const choicesOf = (f: MessagePayloadFormatters | undefined): Draft => ({
  up: upChoice(f),
  down: downChoice(f),
});
/**
 * A save the server refused because a script does not compile (`formatter_compile_failed`,
 * issue 16 item 1): which direction's script, and the line QuickJS named, for the editor's mark.
 */
function compileFailure(e: unknown): { direction: Direction; line?: number } | undefined {
  if (!(e instanceof ApiError)) return undefined;
  const details = (e.body as { details?: { name?: string; attributes?: Record<string, unknown> }[] })
    ?.details?.[0];
  if (details?.name !== 'formatter_compile_failed') return undefined;
  const { field, line } = details.attributes ?? {};
  return {
    direction: field === 'down_formatter_parameter' ? 'down' : 'up',
    line: typeof line === 'number' ? line : undefined,
  };
}

/**
 * What saving would store, to tell whether anything is unsaved: the draft, or nothing for a
 * device that uses the application's formatters (`keep` false), whatever its hidden draft says.
 */
const snapshot = (draft: Draft, keep: boolean) => JSON.stringify(keep ? draft : null);

/**
 * The payload formatters of an application (its defaults) or of one device (an override of
 * them), docs/behaviour.md §7: one formatter per direction, a script editor, and a test pane that runs
 * what is in the editor before it is saved. A device without its own formatters shows the
 * application's, read-only, since those are what its uplinks get.
 */
export function FormatterEditor({ scope }: { scope: FormatterScope }) {
  const qc = useQueryClient();
  const { data, error } = useQuery({
    queryKey: formattersKey(scope),
    queryFn: () => api<Record<string, unknown>>(formattersPath(scope)),
  });
  const appScope = { app: scope.app };
  const inheritedQuery = useQuery({
    queryKey: formattersKey(appScope),
    queryFn: () => api<Record<string, unknown>>(formattersPath(appScope)),
    enabled: !!scope.dev,
  });
  const inherited = inheritedQuery.data ? choicesOf(formattersOf(appScope, inheritedQuery.data)) : undefined;
  const [draft, setDraft] = useState<Draft>();
  const [override, setOverride] = useState(false);
  const [saved, setSaved] = useState<string>();
  const [direction, setDirection] = useState<Direction>('up');
  const [testErrorLine, setTestErrorLine] = useState<number>();

  useEffect(() => {
    if (!data || draft) return;
    const stored = formattersOf(scope, data);
    const initial = choicesOf(stored);
    setDraft(initial);
    setOverride(stored !== undefined);
    setSaved(snapshot(initial, !scope.dev || stored !== undefined));
  }, [data, draft, scope]);

  const keep = !scope.dev || override;
  const dirty = !!draft && saved !== undefined && snapshot(draft, keep) !== saved;
  const guard = useUnsavedGuard(dirty);

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
      await api(formattersPath(scope), { method: 'PUT', json: saveBody(scope, keep ? f : null) });
    },
    // The refused script is shown, whichever direction was on screen.
    onError: (e) => {
      const failed = compileFailure(e);
      if (failed) setDirection(failed.direction);
    },
    onSuccess: () => {
      if (draft) setSaved(snapshot(draft, keep));
      void qc.invalidateQueries({ queryKey: formattersKey(scope) });
      void qc.invalidateQueries({ queryKey: formatterStatusKey(scope.app) });
    },
  });

  // A failed refresh keeps the editor (and unsaved edits) on screen.
  if (error && !draft) return <ErrorText error={error} />;
  if (!draft) return <p className="text-sm text-slate-500">Loading…</p>;
  const editable = keep;
  const showsInherited = !editable && inherited !== undefined;
  const choice = showsInherited ? inherited[direction] : draft[direction];
  const refused = compileFailure(save.error);
  const refusedLine = refused?.direction === direction ? refused.line : undefined;
  const errorLine = refusedLine ?? testErrorLine;
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
  const changeOverride = (own: boolean) => {
    save.reset();
    setOverride(own);
    // A device taking its own formatters starts from the application's, unless it has some.
    const untouched = draft.up.formatter === 'FORMATTER_NONE' && draft.down.formatter === 'FORMATTER_NONE';
    if (own && inherited && untouched) setDraft(inherited);
  };

  return (
    <div className="flex flex-col gap-5" data-testid="formatter-editor">
      <FormatterStatus app={scope.app} />
      {scope.dev && (
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input
            type="checkbox"
            data-testid="formatter-override"
            checked={override}
            onChange={(e) => changeOverride(e.target.checked)}
          />
          This device has its own formatters (otherwise the application's are used)
        </label>
      )}
      {showsInherited && (
        <p className="text-sm text-slate-700" data-testid="formatter-inherited">
          Inherited from the application: {FORMATTER_LABELS[inherited.up.formatter]} for uplinks,{' '}
          {FORMATTER_LABELS[inherited.down.formatter]} for downlinks.{' '}
          {/* Underlined: a link inside a sentence must not be told apart by colour alone (axe). */}
          <Link href={`/applications/${scope.app}/formatters`} className="text-indigo-700 underline">
            Edit the application's formatters
          </Link>
        </p>
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
                  className={`rounded px-2 py-0.5 ${direction === d ? 'bg-indigo-50 text-indigo-700' : 'text-slate-600 hover:text-slate-800'}`}
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
              <div className="space-y-1">
                <p className="text-xs font-medium text-slate-700">Formatter code</p>
                <CodeEditor
                  key={`${direction}-${editable}`}
                  label={`${direction === 'up' ? 'Uplink' : 'Downlink'} formatter code`}
                  testId="formatter-script"
                  value={choice.parameter}
                  readOnly={!editable}
                  errorLine={errorLine}
                  onChange={(parameter) => setChoice({ parameter })}
                />
                <p className="text-xs text-slate-600">
                  {direction === 'up'
                    ? 'decodeUplink({bytes, fPort}) → {data, warnings, errors}; optional normalizeUplink({data}) → {data, warnings, errors}; TTS v2 Decoder(bytes, port) also works'
                    : 'encodeDownlink({data, fPort}) → {bytes, fPort, warnings, errors}; decodeDownlink({bytes, fPort}) → {data}'}
                </p>
              </div>
            )}
            {choice.formatter === 'FORMATTER_CAYENNELPP' && (
              <p className="text-sm text-slate-600">
                {direction === 'up'
                  ? 'Uplinks are decoded as Cayenne Low Power Payload: keys like temperature_1, gps_2.'
                  : 'Downlinks encode value_N numbers (channel N) as CayenneLPP.'}
              </p>
            )}
            <ErrorText error={save.error} testId="formatter-save-error" />
            {refusedLine !== undefined && (
              <p className="text-xs text-red-800" data-testid="formatter-save-error-line">
                Not saved: line {refusedLine} of the {direction === 'up' ? 'uplink' : 'downlink'} script is
                marked.
              </p>
            )}
            <div className="flex items-center gap-3">
              <Button
                variant="primary"
                onClick={() => save.mutate()}
                disabled={save.isPending}
                data-testid="formatter-save"
              >
                Save formatters
              </Button>
              {dirty && (
                <span className="text-xs text-amber-800" data-testid="formatter-unsaved">
                  Unsaved changes
                </span>
              )}
              {save.isSuccess && !dirty && (
                <span className="text-xs text-emerald-700" data-testid="formatter-saved">
                  Saved.
                </span>
              )}
            </div>
          </div>
        </Card>
        <Card title="Test">
          <div className="p-4">
            <FormatterTest
              key={direction}
              scope={scope}
              direction={direction}
              choice={choice}
              onErrorLine={setTestErrorLine}
            />
          </div>
        </Card>
      </div>
      {guard.pending && (
        <ConfirmDialog
          title="Leave without saving?"
          confirmLabel="Leave"
          onConfirm={guard.leave}
          onCancel={guard.stay}
        >
          The formatter changes on this page are not saved yet; leaving drops them.
        </ConfirmDialog>
      )}
    </div>
  );
}
