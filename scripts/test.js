#!/usr/bin/env node
// `npm test`: everything — prerequisites, type check, lint, build, unit + integration (vitest),
// end-to-end in Chromium (Playwright). Stops at the first failing stage.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureSystemPackages } from './system-packages.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

function run(cmd, args, env = {}) {
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) {
    console.error(`\n✗ ${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
  console.log(`✓ ${[cmd, ...args].join(' ')} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
}

const bin = (name) => join(root, 'node_modules', '.bin', name);

ensureSystemPackages();
run(bin('tsc'), ['--noEmit']);
run(bin('biome'), ['ci', '.']);
run(bin('next'), ['build']);
// The server and the CLI as `npm run build` ships them: the suites run the bundles.
run(process.execPath, ['scripts/build-bundles.js']);
run(bin('vitest'), ['run']);
run(bin('playwright'), ['test']);
