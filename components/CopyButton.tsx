'use client';

import { useState } from 'react';
import { Button } from './ui';

/** Copies `text`; falls back to selecting a hidden textarea where the Clipboard API is refused. */
export function CopyButton({
  text,
  label = 'Copy',
  testId = 'copy',
}: {
  text: string;
  label?: string;
  testId?: string;
}) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      const ta = document.createElement('textarea');
      ta.value = text;
      document.body.append(ta);
      ta.select();
      document.execCommand('copy');
      ta.remove();
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  };
  return (
    <Button size="sm" data-testid={testId} onClick={copy}>
      {copied ? 'Copied ✓' : label}
    </Button>
  );
}
