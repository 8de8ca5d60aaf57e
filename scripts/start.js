#!/usr/bin/env node
// `npm start`: build the console once if there is no build yet, then run the custom server.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
process.env.NODE_ENV ??= 'production';

if (process.env.NODE_ENV === 'production' && !existsSync(join(root, '.next', 'BUILD_ID'))) {
  console.log('No build found: running `next build` first (once).');
  const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');
  const r = spawnSync(process.execPath, [nextBin, 'build'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// The CLI's bundle, which `npm run build` also makes (~0.1 s): `mote` calls start fast.
if (!existsSync(join(root, '.mote-build', 'cli.mjs'))) {
  const { buildCli } = await import('./build-cli.js');
  await buildCli();
}

const { register } = await import('tsx/esm/api');
register();
await import('../server/main.ts');
