/**
 * Runs formatter scripts off the main thread (docs/adr/0003). QuickJS's deadline
 * is not checked inside native calls (`new Array(1e6).fill(1)` held a thread ~10 s), so each job
 * also has a hard backstop here: past it the worker is terminated and replaced, and the script
 * is refused for a while so one hostile script cannot keep a worker busy. MQTT delivery and
 * every other uplink keep going on the main thread meanwhile. Jobs wait in one queue per
 * application, taken in turn (fairQueue.ts), and a script that keeps running to its deadline is
 * suspended for its application (budget.ts).
 */
import { Worker } from 'node:worker_threads';
import type { Logger } from '../../log';
import { createScriptBudget, type Suspension } from './budget';
import { createFairQueue } from './fairQueue';
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
  /** Jobs of one application waiting for a worker beyond this are refused (`formatter_busy`). */
  maxQueue?: number;
  /** How long a script that had to be terminated is refused without running. */
  quarantineMs?: number;
  /** Deadline hits in a row that suspend a script for its application; 0 never suspends. */
  suspendAfter?: number;
  log: Logger;
}

export interface ScriptRunner {
  run(call: ScriptCall): Promise<ScriptOutcome>;
  /** The application's scripts suspended for running to their deadline (budget.ts). */
  suspensions(applicationId: string): Suspension[];
  /** The application's formatters were saved: its suspended scripts may run again. */
  resume(applicationId: string): void;
  close(): Promise<void>;
}

export const suspensionMessage = (s: Suspension) =>
  `script suspended at ${s.since} after ${s.timeouts} runs in a row to its time limit; save the formatters again to resume it`;

/** `MOTE_FORMATTER_SUSPEND_AFTER`'s default: five runs in a row to the deadline. */
export const DEFAULT_SUSPEND_AFTER = 5;

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
  const queue = createFairQueue<Job>(maxQueue);
  const budget = createScriptBudget(options.suspendAfter ?? DEFAULT_SUSPEND_AFTER);
  const slots = new Set<Slot>();
  /** Scripts terminated by the backstop, by application and hash: refused until this time. */
  const quarantined = new Map<string, number>();
  const quarantineKey = (call: ScriptCall) => `${call.scope.applicationId}\n${call.hash}`;
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
    job.resolve(charge(job.call, outcome));
  }

  const suspendedOutcome = (s: Suspension) => fail('formatter_suspended', suspensionMessage(s));

  /** Charges a finished run to its application's budget; the run that suspends says so. */
  function charge(call: ScriptCall, outcome: ScriptOutcome): ScriptOutcome {
    const { applicationId } = call.scope;
    const hitDeadline = !outcome.ok && outcome.error.name === 'formatter_timeout';
    if (!budget.record(applicationId, call.hash, hitDeadline)) return outcome;
    const suspension = budget.suspended(applicationId, call.hash)!;
    log.warn({ application: applicationId, hash: call.hash }, 'formatter script suspended');
    const refused = suspendedOutcome(suspension);
    // Its queued runs would each hold a worker to the deadline again: refuse them now.
    for (const job of queue.drain(applicationId, (j) => j.call.hash === call.hash)) job.resolve(refused);
    return refused;
  }

  function backstop(slot: Slot): void {
    const hash = slot.job?.call.hash;
    if (slot.job) quarantined.set(quarantineKey(slot.job.call), Date.now() + quarantineMs);
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
      const suspension = budget.suspended(call.scope.applicationId, call.hash);
      if (suspension) return Promise.resolve(suspendedOutcome(suspension));
      const key = quarantineKey(call);
      const until = quarantined.get(key);
      if (until !== undefined && until > Date.now())
        return Promise.resolve(
          fail('formatter_timeout', 'script was terminated for exceeding its time limit; refused for now'),
        );
      if (until !== undefined) quarantined.delete(key);
      return new Promise((resolve) => {
        if (!queue.push(call.scope.applicationId, { call, resolve })) {
          resolve(fail('formatter_busy', "too many of this application's scripts waiting to run"));
          return;
        }
        dispatch();
      });
    },
    suspensions: (applicationId) => budget.suspensions(applicationId),
    resume(applicationId) {
      budget.resume(applicationId);
      for (const key of quarantined.keys()) if (key.startsWith(`${applicationId}\n`)) quarantined.delete(key);
    },
    async close() {
      closed = true;
      for (const job of queue.clear()) job.resolve(fail('formatter_unavailable', 'formatters are shut down'));
      await Promise.all([...slots].map((s) => s.worker.terminate()));
    },
  };
}
