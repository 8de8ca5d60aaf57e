import { Worker } from 'node:worker_threads';

/**
 * WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside the commit that
 * crosses its threshold, on the committing thread, fsync included: measured at 18 % of Mote's
 * main thread at 5 000 uplinks/s with history on, and single stalls of 100 ms on a busy disk,
 * which every MQTT delivery behind them waited out. A worker thread with its own connection runs
 * PASSIVE checkpoints (they never block readers or writers) on a timer instead; the main
 * connection keeps a much higher automatic threshold only as a backstop, should the worker stop.
 */
export const BACKSTOP_AUTOCHECKPOINT_PAGES = 16_384;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(file: string, intervalMs = 200): Checkpointer {
  const worker = new Worker(new URL('./checkpoint-worker.mjs', import.meta.url), {
    workerData: { file, intervalMs },
  });
  // Housekeeping must never keep the process alive, nor crash it: the backstop covers failures.
  worker.unref();
  worker.on('error', () => {});
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    async stop() {
      worker.postMessage('stop');
      await exited;
    },
  };
}
