'use client';

import { rightName } from '@/lib/rightLabels';
import { CopyButton } from './CopyButton';
import { Button } from './ui';

/** A newly created API key: shown once, never again (docs/behaviour.md §2). */
export function KeyReveal({
  apiKey,
  rights,
  onDone,
}: {
  apiKey: string;
  rights: readonly string[];
  onDone: () => void;
}) {
  return (
    <div
      className="space-y-2 rounded-md border border-emerald-300 bg-emerald-50 p-3"
      data-testid="key-reveal"
    >
      <p className="text-sm font-medium text-emerald-900">
        Copy this API key now. It is shown only once; Mote keeps only a hash of it.
      </p>
      <div className="flex items-center gap-2">
        <code
          data-testid="new-key"
          className="min-w-0 flex-1 rounded border border-emerald-200 bg-white px-2 py-1.5 font-mono text-xs break-all select-all"
        >
          {apiKey}
        </code>
        <CopyButton text={apiKey} testId="copy-key" />
      </div>
      <p className="text-xs text-emerald-800">
        Rights: <span className="font-mono">{rights.map(rightName).join(', ')}</span>
      </p>
      <Button size="sm" onClick={onDone} data-testid="key-done">
        I have copied the key
      </Button>
    </div>
  );
}
