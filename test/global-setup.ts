import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { currentBundle } from '../bin/bundles.js';
import { buildBundles } from '../scripts/build-bundles.js';

/**
 * Cross-process tests run the real server as `npm start` does, which needs a Next build and the
 * server bundle: make them if missing (the bundle also when a source changed since).
 */
export default async function setup(): Promise<void> {
  const root = pathToFileURL(`${process.cwd()}/`);
  if (!currentBundle(root, 'server') || !currentBundle(root, 'cli')) await buildBundles();
  if (existsSync('.next/BUILD_ID')) return;
  const r = spawnSync(process.execPath, ['node_modules/next/dist/bin/next', 'build'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('next build failed');
}
