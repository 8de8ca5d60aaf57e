import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { currentBundle } from '../bin/bundles.cjs';
import { buildCli } from '../scripts/build-bundles.js';
import { serverEntry } from './helpers/serverEntry';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, args, { env: { ...process.env, ...env }, encoding: 'utf8' });

describe('the CLI built ahead of time (npm run build)', () => {
  it('answers as the TypeScript sources do', async () => {
    // Inside the repo, so the bundle finds node_modules as the real one does.
    const out = join(process.cwd(), '.mote-build', `test-${process.pid}`);
    dirs.push(out);
    await buildCli(out);
    for (const args of [['--help'], ['end-devices', 'create', '--help']]) {
      const built = run([join(out, 'cli.cjs'), ...args]);
      const sources = run(['bin/mote.cjs', ...args], { MOTE_CLI_FROM_SOURCES: '1' });
      expect(built.status).toBe(0);
      expect(built.stdout).toBe(sources.stdout);
      expect(built.stdout).toContain('Usage');
    }
  });

  it('runs only while no source it was built from changed since', () => {
    const root = mkdtempSync(join(tmpdir(), 'mote-cli-bundle-'));
    dirs.push(root);
    const url = pathToFileURL(`${root}/`);
    expect(currentBundle(url)).toBeUndefined();
    mkdirSync(join(root, '.mote-build'));
    writeFileSync(join(root, 'main.ts'), '');
    writeFileSync(join(root, '.mote-build', 'cli.cjs'), '');
    writeFileSync(join(root, '.mote-build', 'cli-sources.json'), JSON.stringify(['main.ts']));
    const built = new Date('2026-01-01T00:00:10Z');
    utimesSync(join(root, 'main.ts'), new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'));
    utimesSync(join(root, '.mote-build', 'cli.cjs'), built, built);
    expect(currentBundle(url)?.pathname).toBe(join(root, '.mote-build', 'cli.cjs'));
    // A source edited after the build: the sources run instead.
    utimesSync(join(root, 'main.ts'), new Date('2026-01-01T00:00:20Z'), new Date('2026-01-01T00:00:20Z'));
    expect(currentBundle(url)).toBeUndefined();
    // A source deleted since: likewise.
    writeFileSync(join(root, '.mote-build', 'cli-sources.json'), JSON.stringify(['gone.ts']));
    expect(currentBundle(url)).toBeUndefined();
  });
});

describe('the server built ahead of time (npm run build, npm start)', () => {
  it('is what the suites start, as npm start does: no TypeScript compiled at run time', () => {
    // test/global-setup.ts builds the bundles when a source is newer, as scripts/start.js does.
    expect(serverEntry()).toEqual([join(process.cwd(), '.mote-build', 'server.mjs')]);
  });
});
