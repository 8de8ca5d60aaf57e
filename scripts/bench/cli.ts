/**
 * Scenario `cli` (issue 18): how long one `mote` call takes from the shell, the way scripts that
 * call it per device pay it — the bundle `npm run build` makes against the TypeScript sources run
 * through tsx (MOTE_CLI_FROM_SOURCES=1), beside node starting and doing nothing. `--help` parses
 * every command's flags and exits without a server, so what is measured is start-up alone.
 */
import { spawnSync } from 'node:child_process';
import { buildCli } from '../build-bundles.js';

function medianMs(runs: number, args: string[], env: Record<string, string> = {}): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const r = spawnSync(process.execPath, args, { env: { ...process.env, ...env }, encoding: 'utf8' });
    times.push(performance.now() - start);
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(times.length / 2)] ?? 0);
}

export async function runCli(opts: { runs: number }, log: (s: string) => void) {
  await buildCli();
  const result = {
    bundle_ms: medianMs(opts.runs, ['bin/mote.cjs', '--help']),
    sources_ms: medianMs(opts.runs, ['bin/mote.cjs', '--help'], { MOTE_CLI_FROM_SOURCES: '1' }),
    node_ms: medianMs(opts.runs, ['-e', '']),
  };
  log(
    `cli: \`mote --help\` median of ${opts.runs}: ${result.bundle_ms} ms built ahead of time, ${result.sources_ms} ms from the sources through tsx; node alone ${result.node_ms} ms`,
  );
  return result;
}
