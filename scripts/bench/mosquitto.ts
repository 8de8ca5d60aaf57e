/** The reference broker: Debian's mosquitto on a free port, anonymous, no persistence. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from './rpc';

export interface Mosquitto {
  pid: number;
  port: number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

export async function startMosquitto(): Promise<Mosquitto> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'mote-bench-mosquitto-'));
  const conf = join(dir, 'mosquitto.conf');
  // Nagle off, as Mote's sockets; defaults otherwise (QoS 0 to online clients is not queued).
  writeFileSync(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'persistence false',
      'log_dest none',
      'set_tcp_nodelay true',
      ...(process.env.BENCH_MOSQUITTO_EXTRA ?? '').split(';'),
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn('sh', ['-c', 'ulimit -n "$(ulimit -Hn)"; exec mosquitto -c "$0"', conf], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let i = 0; !(await accepts(port)); i++) {
    if (i > 100 || child.exitCode !== null) throw new Error('mosquitto did not start');
    await sleep(50);
  }
  return {
    pid: child.pid ?? 0,
    port,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
