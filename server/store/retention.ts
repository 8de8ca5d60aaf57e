import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { HistoryStore } from './ports';

export interface Retention {
  /** Drops what is past retention now; resolves with the number of messages dropped. */
  prune(): Promise<number>;
  stop(): void;
}

/**
 * History retention (MOTE_HISTORY_DAYS, MOTE_HISTORY_MAX_ROWS): pruned every `intervalMs`
 * (0: only when `prune()` is called).
 */
export function startRetention(
  history: Pick<HistoryStore, 'prune'>,
  o: { clock: Clock; log: Logger; days: number; maxRows: number; intervalMs: number },
): Retention {
  const log = o.log.child({ component: 'history' });
  const prune = async () => {
    const cutoff = new Date(o.clock.now().getTime() - o.days * 86_400_000).toISOString();
    const deleted = await history.prune(cutoff, o.maxRows);
    if (deleted > 0) log.info({ deleted }, 'pruned history');
    return deleted;
  };
  const timer =
    o.intervalMs > 0
      ? setInterval(() => prune().catch((err) => log.error({ err }, 'pruning history failed')), o.intervalMs)
      : undefined;
  timer?.unref();
  return { prune, stop: () => clearInterval(timer) };
}
