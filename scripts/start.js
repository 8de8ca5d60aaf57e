#!/usr/bin/env node
// `npm start`: build the console once if there is no build yet, then run the custom server.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { currentBundle } from '../bin/bundles.cjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
process.env.NODE_ENV ??= 'production';

if (process.env.NODE_ENV === 'production' && !existsSync(join(root, '.next', 'BUILD_ID'))) {
  console.log('No build found: running `next build` first (once).');
  const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');
  const r = spawnSync(process.execPath, [nextBin, 'build'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// The server and the CLI compiled ahead of time (`npm run build` makes them; ~1 s here when
// missing or older than a source): nothing compiles TypeScript while Mote runs.
const rootUrl = pathToFileURL(`${root}/`);
if (!currentBundle(rootUrl, 'server') || !currentBundle(rootUrl, 'cli')) {
  try {
    const { buildBundles } = await import('./build-bundles.js');
    await buildBundles();
  } catch (err) {
    // esbuild is a dev dependency: an install without them runs the sources through tsx.
    console.warn(`Could not compile the server ahead of time (${err.message}); running the sources.`);
  }
}

const server = currentBundle(rootUrl, 'server');
if (server) {
  await import(server.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../server/main.ts');
}
