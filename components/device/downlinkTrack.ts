import { bodyOf, type LiveRow } from '@/lib/live/event';
import { reasonInWords } from '@/lib/live/failure';

/**
 * One pushed downlink followed through its lifecycle by its own correlation ID (TTS's
 * `as:downlink:…` IDs are the server's; this one is the console's, added to the user's own).
 */
export type Stage = 'pushing' | 'queued' | 'sent' | 'ack' | 'nack' | 'failed';

export interface Tracked {
  stage: Stage;
  /** For `failed` (and a nack's last word): why, in words. */
  reason?: string;
  /** A nack that will be retried: which attempt comes next. */
  detail?: string;
}

const STAGE_OF: Record<string, Stage> = {
  'down/queued': 'queued',
  'down/sent': 'sent',
  'down/ack': 'ack',
  'down/nack': 'nack',
  'down/failed': 'failed',
};

const ORDER: Stage[] = ['pushing', 'queued', 'sent', 'nack', 'ack', 'failed'];

export const newCorrelationId = () => {
  const bytes = crypto.getRandomValues(new Uint8Array(10));
  return `console:downlink:${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
};

/** The furthest stage reached by the downlink with `correlationId` among `rows`. */
export function track(rows: readonly LiveRow[], correlationId: string): Tracked {
  let t: Tracked = { stage: 'pushing' };
  for (const row of rows) {
    if (row.kind !== 'message' || !row.correlationIds.includes(correlationId)) continue;
    const stage = STAGE_OF[row.type];
    if (!stage || ORDER.indexOf(stage) < ORDER.indexOf(t.stage)) continue;
    const body = bodyOf(row.message)?.body;
    if (stage === 'failed') t = { stage, reason: reasonInWords(body?.error) };
    else if (stage === 'nack') t = { stage, detail: 'not acknowledged; it will be sent again' };
    else t = { stage };
  }
  return t;
}
