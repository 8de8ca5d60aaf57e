/**
 * Runs formatter scripts off the main thread (docs/adr/0003). QuickJS's deadline
 * is not checked inside native calls (`new Array(1e6).fill(1)` held a thread ~10 s), so each job
 * also has a hard backstop here: past it the worker is terminated and replaced, and the script
 * is refused for a while so one hostile script cannot keep a worker busy. MQTT delivery and
 * every other uplink keep going on the main thread meanwhile.
 */
import { Worker } from 'node:worker_threads';
import type { Logger } from '../../log';
import type {
  FromWorker,
  ScriptCall,
  ScriptErrorName,
  ScriptLimits,
  ScriptOutcome,
  ToWorker,
} from './protocol';

export interface ScriptPoolOptions {
  workers?: number;
  limits?: Partial<ScriptLimits>;
  /** Hard limit per job from dispatch; default twice the time limit plus 800 ms of slack. */
  hardTimeoutMs?: number;
  /** Jobs waiting for a worker beyond this are refused (`formatter_busy`). */
  maxQueue?: number;
  /** How long a script that had to be terminated is refused without running. */
  quarantineMs?: number;
  log: Logger;
}

export interface ScriptRunner {
  run(call: ScriptCall): Promise<ScriptOutcome>;
  close(): Promise<void>;
}

export const DEFAULT_LIMITS: ScriptLimits = {
  timeoutMs: 100,
  // 8 MiB: QuickJS trips it at once on a 1e6-element array; at 16 MiB it thrashed for seconds.
  memoryBytes: 8 * 1024 * 1024,
  // 256 KiB: at 512 KiB deep recursion overflowed the WebAssembly stack before QuickJS's check.
  stackBytes: 256 * 1024,
  maxOutputChars: 64 * 1024,
};

interface Job {
  call: ScriptCall;
  resolve(outcome: ScriptOutcome): void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job?: Job & { id: number; timer: NodeJS.Timeout };
}

const fail = (name: ScriptErrorName, message: string): ScriptOutcome => ({
  ok: false,
  error: { name, message },
});

export function createScriptPool(options: ScriptPoolOptions): ScriptRunner {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const hardTimeoutMs = options.hardTimeoutMs ?? limits.timeoutMs * 2 + 800;
  const maxQueue = options.maxQueue ?? 1000;
  const quarantineMs = options.quarantineMs ?? 60_000;
  const log = options.log.child({ component: 'formatters' });
  const queue: Job[] = [];
  const slots = new Set<Slot>();
  const quarantined = new Map<string, number>();
  let nextId = 1;
  let closed = false;

  function spawn(): void {
    const worker = new Worker(new URL('./worker.mjs', import.meta.url), {
      workerData: limits,
      // The sandbox's memory is WebAssembly memory; this bounds the worker's own JS heap.
      resourceLimits: { maxOldGenerationSizeMb: 128 },
    });
    const slot: Slot = { worker, ready: false };
    slots.add(slot);
    worker.on('message', (m: FromWorker) => onMessage(slot, m));
    worker.on('error', (err) => log.warn({ err }, 'formatter worker failed'));
    worker.on('exit', (code) => {
      slots.delete(slot);
      if (slot.job) finish(slot, fail('formatter_crashed', `formatter worker exited (${code})`));
      if (closed) return;
      // A worker that dies before it is ready would die again at once: do not spin.
      if (!slot.ready) setTimeout(spawn, 1000).unref();
      else spawn();
    });
  }

  function onMessage(slot: Slot, m: FromWorker): void {
    if (m.type === 'ready') slot.ready = true;
    else if (slot.job?.id === m.id) finish(slot, m.outcome);
    dispatch();
  }

  function finish(slot: Slot, outcome: ScriptOutcome): void {
    const job = slot.job;
    if (!job) return;
    clearTimeout(job.timer);
    slot.job = undefined;
    job.resolve(outcome);
  }

  function backstop(slot: Slot): void {
    const hash = slot.job?.call.hash;
    if (hash) quarantined.set(hash, Date.now() + quarantineMs);
    log.warn({ hash, hardTimeoutMs }, 'formatter script did not stop: worker terminated');
    finish(
      slot,
      fail('formatter_timeout', `script exceeded the ${limits.timeoutMs} ms time limit and was terminated`),
    );
    slot.ready = false;
    void slot.worker.terminate();
  }

  function dispatch(): void {
    for (const slot of slots) {
      if (!slot.ready || slot.job) continue;
      const job = queue.shift();
      if (!job) return;
      const id = nextId++;
      slot.job = { ...job, id, timer: setTimeout(() => backstop(slot), hardTimeoutMs) };
      slot.worker.postMessage({ type: 'run', id, call: job.call } satisfies ToWorker);
    }
  }

  for (let i = 0; i < Math.max(1, options.workers ?? 2); i++) spawn();

  return {
    run(call) {
      if (closed) return Promise.resolve(fail('formatter_unavailable', 'formatters are shut down'));
      const until = quarantined.get(call.hash);
      if (until !== undefined && until > Date.now())
        return Promise.resolve(
          fail('formatter_timeout', 'script was terminated for exceeding its time limit; refused for now'),
        );
      if (until !== undefined) quarantined.delete(call.hash);
      if (queue.length >= maxQueue)
        return Promise.resolve(fail('formatter_busy', 'too many scripts waiting to run'));
      return new Promise((resolve) => {
        queue.push({ call, resolve });
        dispatch();
      });
    },
    async close() {
      closed = true;
      for (const job of queue.splice(0))
        job.resolve(fail('formatter_unavailable', 'formatters are shut down'));
      await Promise.all([...slots].map((s) => s.worker.terminate()));
    },
  };
}
