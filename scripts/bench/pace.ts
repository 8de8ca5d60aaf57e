/**
 * Sends `rate` messages a second for `seconds`, in small batches on a 2 ms timer (or `tickMs`).
 * Nothing is skipped: a sender that falls behind catches up in bigger batches, and the caller
 * sees it in the achieved rate.
 */
const TICK_MS = 2;

export interface PaceResult {
  sent: number;
  seconds: number;
}

export function pace(
  rate: number,
  seconds: number,
  emit: (count: number, firstSeq: number) => void,
  tickMs = TICK_MS,
): Promise<PaceResult> {
  const total = Math.round(rate * seconds);
  const t0 = performance.now();
  let sent = 0;
  return new Promise((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.ceil(((performance.now() - t0) / 1000) * rate));
      if (due > sent) {
        emit(due - sent, sent);
        sent = due;
      }
      if (sent >= total) {
        clearInterval(timer);
        resolve({ sent, seconds: (performance.now() - t0) / 1000 });
      }
    };
    const timer = setInterval(tick, tickMs);
  });
}
