/**
 * CPU of the processes behind a cluster run, read from /proc/<pid>/stat: a Mote instance, the
 * PostgreSQL server (postmaster and its backends) and redis-server. Found by their command
 * lines, since the test harness that starts them keeps no pid: both rename their processes to
 * carry their port.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** USER_HZ: /proc counts CPU time in ticks of 1/100 s on Linux. */
const HZ = 100;

interface Stat {
  ppid: number;
  /** utime + stime, seconds. */
  own: number;
  /** cutime + cstime: children that ended and were waited for, seconds. */
  reaped: number;
}

function stat(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name in parentheses: state is field 3, ppid 4, utime 14 …
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return {
      ppid: Number(f[1]),
      own: (Number(f[11]) + Number(f[12])) / HZ,
      reaped: (Number(f[13]) + Number(f[14])) / HZ,
    };
  } catch {
    return undefined;
  }
}

function pids(): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number);
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** A process's CPU seconds so far; with `family`, its live children's and reaped children's too. */
export function cpuSeconds(pid: number, family = false): number {
  const own = stat(pid);
  if (!own) return 0;
  if (!family) return own.own;
  let total = own.own + own.reaped;
  for (const p of pids()) {
    const s = stat(p);
    if (s?.ppid === pid) total += s.own;
  }
  return total;
}

/**
 * The postmaster listening on `port`: pg_ctl starts it with `-p <port>`; its backends and
 * workers rename themselves (`postgres: checkpointer`, …), so only it matches.
 */
export function postmasterPid(port: number): number {
  const found = pids().find((p) => {
    const c = cmdline(p);
    return c.includes('/postgres ') && c.includes(`-p ${port}`);
  });
  if (found === undefined) throw new Error(`no postgres process with -p ${port}`);
  return found;
}

/** redis-server renames itself `redis-server 127.0.0.1:<port>` (or keeps `--port <port>`). */
export function redisPid(port: number): number {
  const found = pids().find((p) => {
    const c = cmdline(p);
    return c.includes('redis-server') && (c.includes(`:${port}`) || c.includes(`--port ${port}`));
  });
  if (found === undefined) throw new Error(`no redis-server on port ${port}`);
  return found;
}
