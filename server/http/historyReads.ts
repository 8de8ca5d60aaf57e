/**
 * Concurrent history reads per credential (issue 17 item 3): each streamed answer holds a
 * store page and a response in memory for as long as its client takes, so one key (even a
 * read-only one) opening many at once is refused with 429 beyond `perCredential`.
 */
import { tooManyHistoryReads } from './errors';

export interface HistoryReads {
  /** Takes a slot for `credentialId`, or throws 429; call the returned function once when done. */
  begin(credentialId: string): () => void;
}

/** `MOTE_HISTORY_READS_PER_KEY`'s default. */
export const DEFAULT_HISTORY_READS_PER_KEY = 2;

export function createHistoryReads(perCredential: number): HistoryReads {
  const open = new Map<string, number>();
  return {
    begin(credentialId) {
      const n = open.get(credentialId) ?? 0;
      if (n >= perCredential) throw tooManyHistoryReads({ max: perCredential });
      open.set(credentialId, n + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (open.get(credentialId) ?? 1) - 1;
        if (left > 0) open.set(credentialId, left);
        else open.delete(credentialId);
      };
    },
  };
}
