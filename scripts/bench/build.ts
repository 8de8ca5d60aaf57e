/**
 * The live-table scenario runs the real server, which serves the console from a Next build.
 * A fresh clone has none: make it once, as test/global-setup.ts does for the tests.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Seconds spent building, 0 when a build was already there. */
export function ensureNextBuild(log: (s: string) => void): number {
  if (existsSync('.next/BUILD_ID')) return 0;
  log('no Next build yet: running `next build` once for the live-table scenario');
  const t0 = performance.now();
  // Its progress goes to stderr with the bench's own; stdout stays the results table.
  const r = spawnSync(process.execPath, ['node_modules/next/dist/bin/next', 'build'], {
    stdio: ['ignore', process.stderr, process.stderr],
  });
  if (r.status !== 0) throw new Error(`next build failed (exit ${r.status ?? r.signal})`);
  return (performance.now() - t0) / 1000;
}
