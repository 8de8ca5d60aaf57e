#!/usr/bin/env node
// `npm run build` (after `next build`): the server and the CLI compiled ahead of time, so nothing
// compiles TypeScript at run time. Each bundle is one module in `.mote-build/` with packages
// left in node_modules; the list of sources it was built from goes beside it, so whoever starts
// it (scripts/start.js, bin/mote.cjs, the test harness) can tell when a source changed since.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

async function bundle(outDir, name, entryPoints, extraSources = [], options = {}) {
  const result = await build({
    absWorkingDir: root,
    entryPoints,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    metafile: true,
    logLevel: 'warning',
    ...options,
  });
  const sources = [...Object.keys(result.metafile.inputs), ...extraSources];
  writeFileSync(join(outDir, `${name}-sources.json`), JSON.stringify(sources));
}

/**
 * Writes `<outDir>/cli.cjs` and `<outDir>/cli-sources.json` (paths relative to the repo). Commander
 * goes inside the bundle (importing it from node_modules was ~35 ms of a call's ~150 ms), and the
 * bundle is CommonJS, so bin/mote.cjs starts without Node's ES module loader (~15 ms more).
 */
export async function buildCli(outDir = join(root, '.mote-build')) {
  await bundle(outDir, 'cli', { cli: 'bin/cli/main.ts' }, [], {
    packages: undefined,
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
  });
}

/**
 * Writes `<outDir>/server.mjs` and the worker entries it starts beside it, where its
 * `new URL('./….mjs', import.meta.url)` finds them: the formatter worker compiled, the WAL
 * checkpoint worker (plain JS already) copied.
 */
export async function buildServer(outDir = join(root, '.mote-build')) {
  const checkpointWorker = 'server/store/checkpoint-worker.mjs';
  mkdirSync(outDir, { recursive: true });
  copyFileSync(join(root, checkpointWorker), join(outDir, 'checkpoint-worker.mjs'));
  await bundle(outDir, 'server', { server: 'server/main.ts', worker: 'server/as/formatters/worker.ts' }, [
    checkpointWorker,
  ]);
}

export async function buildBundles(outDir = join(root, '.mote-build')) {
  await Promise.all([buildCli(outDir), buildServer(outDir)]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildBundles();
