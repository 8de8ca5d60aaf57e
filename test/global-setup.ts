import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
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
 * Cross-process tests run the real server, which needs a Next build: make one if missing.
 * One PostgreSQL cluster serves the whole run (test/helpers/postgres.ts): a cluster costs an
 * initdb, a database costs a CREATE DATABASE.
 */
export default async function setup(project: TestProject): Promise<() => void> {
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
