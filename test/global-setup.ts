import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Cross-process tests run the real server, which needs a Next build: make one if missing. */
export default function setup(): void {
  if (existsSync('.next/BUILD_ID')) return;
  const r = spawnSync(process.execPath, ['node_modules/next/dist/bin/next', 'build'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('next build failed');
}
