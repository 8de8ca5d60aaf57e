/**
 * Parent ↔ child plumbing for the bench: every load generator and the Mote host run in their own
 * process (so none steals the other's event loop) and answer calls over Node's IPC channel.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

type Handler = (args: never) => unknown;
const STOP_GRACE_MS = 5_000;
type Handlers = Record<string, Handler>;
interface Reply {
  id: number;
  result?: unknown;
  error?: string;
}

export interface Worker {
  pid: number;
  call<T = unknown>(cmd: string, args?: unknown): Promise<T>;
  stop(): Promise<void>;
}

/**
 * Starts `scripts/bench/<file>` under tsx with the open-file limit raised to the hard limit
 * (10 000 sockets need more than the usual soft 1024), and an IPC channel.
 */
export function spawnWorker(file: string, nodeArgs: string[] = [], env: Record<string, string> = {}): Worker {
  const script = fileURLToPath(new URL(file, import.meta.url));
  const child: ChildProcess = spawn(
    'sh',
    [
      '-c',
      'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$0" "$@"',
      process.execPath,
      ...nodeArgs,
      '--import',
      'tsx',
      script,
    ],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: { ...process.env, ...env } },
  );
  let next = 0;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  child.on('message', (m: Reply) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.error) p.reject(new Error(`${file}: ${m.error}`));
    else p.resolve(m.result);
  });
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      for (const p of pending.values()) p.reject(new Error(`${file} exited (${code ?? signal})`));
      pending.clear();
      resolve();
    }),
  );
  return {
    pid: child.pid ?? 0,
    call<T>(cmd: string, args?: unknown) {
      const id = ++next;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ id, cmd, args });
      });
    },
    /** Lets the child clean up (temp dirs, a CPU profile) on disconnect; kills it if it hangs. */
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (child.connected) child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * The child side: answers `{id, cmd, args}` with the handler's result. When the parent lets go
 * (or dies), `cleanup` runs and the process exits normally, so `--cpu-prof` can write its file.
 */
export function serve(handlers: Handlers, cleanup: () => unknown = () => {}): void {
  process.on('message', async (m: { id: number; cmd: string; args: never }) => {
    try {
      const handler = handlers[m.cmd];
      if (!handler) throw new Error(`unknown command ${m.cmd}`);
      process.send?.({ id: m.id, result: (await handler(m.args)) ?? null });
    } catch (e) {
      process.send?.({ id: m.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
  });
  process.on('disconnect', async () => {
    try {
      await cleanup();
    } finally {
      process.exit(0);
    }
  });
}

/** CPU seconds (user + system) and RSS in MB of any process, from /proc. */
export function procStat(pid: number): { cpuSeconds: number; rssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 (utime, stime) in clock ticks; USER_HZ is 100 on Linux.
  const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / 100;
  const rssPages = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
  return { cpuSeconds, rssMb: (rssPages * 4096) / 1024 / 1024 };
}

/**
 * Seconds the process's main thread (a server's event loop) has spent ready to run but waiting
 * for a CPU (/proc/<pid>/schedstat, second field, ns): on a shared machine, the time other work
 * took from it. 0 where the kernel does not keep the figure.
 */
export function runQueueWaitSeconds(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1] ?? 0) / 1e9;
  } catch {
    return 0;
  }
}

/**
 * CPU use of several processes over a window, in % of one core, one figure per pid in order:
 * `cpuMeter([server, client])()` is typed as a pair, so its figures need no check.
 */
export function cpuMeter<const P extends readonly number[]>(
  pids: P,
): () => { -readonly [K in keyof P]: number } {
  const start = pids.map((pid) => ({ pid, cpuSeconds: procStat(pid).cpuSeconds }));
  const t0 = performance.now();
  return () => {
    const seconds = (performance.now() - t0) / 1000;
    // map keeps the length and order of `pids`, which TypeScript cannot see through for a tuple.
    return start.map(({ pid, cpuSeconds }) => ((procStat(pid).cpuSeconds - cpuSeconds) / seconds) * 100) as {
      -readonly [K in keyof P]: number;
    };
  };
}

/** Microseconds on CLOCK_MONOTONIC: the same clock in every process on this machine. */
export const nowUs = (): number => Number(process.hrtime.bigint()) / 1000;

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
