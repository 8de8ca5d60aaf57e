import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { TestProject } from 'vitest/node';
import { currentBundle } from '../bin/bundles.cjs';
import { buildBundles } from '../scripts/build-bundles.js';
import { initPgTemplate, type PgCluster, postgresInstalled, startPgCluster } from './helpers/postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's PostgreSQL cluster (its maintenance database); suites create their own databases. */
    pgAdminUrl: string | undefined;
    /** An initialised data directory that suites with a cluster of their own copy. */
    pgTemplate: string | undefined;
  }
}

/**
 * Cross-process tests run the real server as `npm start` does, which needs a Next build and the
 * server bundle: make them if missing (the bundle also when a source changed since). One
 * PostgreSQL cluster serves the whole run (test/helpers/postgres.ts): a cluster costs an initdb,
 * a database costs a CREATE DATABASE.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const root = pathToFileURL(`${process.cwd()}/`);
  if (!currentBundle(root, 'server') || !currentBundle(root, 'cli')) await buildBundles();
  if (!existsSync('.next/BUILD_ID')) {
    const r = spawnSync(process.execPath, ['node_modules/next/dist/bin/next', 'build'], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('next build failed');
  }
  let cluster: PgCluster | undefined;
  let template: string | undefined;
  if (postgresInstalled()) {
    template = initPgTemplate();
    cluster = await startPgCluster(template);
  }
  project.provide('pgAdminUrl', cluster?.adminUrl);
  project.provide('pgTemplate', template);
  return () => {
    cluster?.destroy();
    if (template) rmSync(template, { recursive: true, force: true });
  };
}
