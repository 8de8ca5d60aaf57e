import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { type PgCluster, postgresInstalled, startPgCluster } from './helpers/postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's PostgreSQL cluster (its maintenance database); suites create their own databases. */
    pgAdminUrl: string | undefined;
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
  if (postgresInstalled()) cluster = await startPgCluster();
  project.provide('pgAdminUrl', cluster?.adminUrl);
  return () => cluster?.destroy();
}
