/**
 * Throwaway PostgreSQL servers for the tests: Debian's binaries, a cluster initialised in a
 * temporary directory, listening on a free port, fsync off (nothing here must survive a crash).
 * One cluster serves a whole vitest run (test/global-setup.ts); each suite creates its own
 * database in it, so suites running in parallel never see each other's rows.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './mqtt';

export const PG_BIN = '/usr/lib/postgresql/15/bin';

export interface PgCluster {
  /** `postgres://…/postgres`: the maintenance database, for CREATE DATABASE. */
  adminUrl: string;
  port: number;
  /** Stops the server (fast shutdown); the data directory stays, so `start` brings it back. */
  stop(): void;
  start(): void;
  /** Stops the server and removes its directory. */
  destroy(): void;
}

/** Postgres refuses to run as root: as root, the cluster is the `postgres` user's. */
const asRoot = process.getuid?.() === 0;

function run(bin: string, args: string[]) {
  const [cmd, argv] = asRoot
    ? ['runuser', ['-u', 'postgres', '--', join(PG_BIN, bin), ...args]]
    : [join(PG_BIN, bin), args];
  const r = spawnSync(cmd, argv, { encoding: 'utf8' });
  if (r.status !== 0)
    throw new Error(`${bin} ${args.join(' ')} failed (${r.status}): ${r.stderr}${r.stdout}`);
}

export function postgresInstalled(): boolean {
  return existsSync(join(PG_BIN, 'postgres'));
}

/**
 * An initialised, never started data directory to copy clusters from: an initdb takes seconds
 * on a busy machine, a copy of its result a few milliseconds.
 */
export function initPgTemplate(): string {
  if (!postgresInstalled())
    throw new Error(`PostgreSQL 15 is not installed (${PG_BIN}); \`npm test\` installs Debian's postgresql`);
  const dir = ownedTempDir('mote-pg-template-');
  // C collation: text sorts by code point, as SQLite sorts it.
  run('initdb', [
    '-D',
    join(dir, 'data'),
    '-A',
    'trust',
    '-U',
    'postgres',
    '--locale=C',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  return dir;
}

function ownedTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (asRoot) {
    const { uid, gid } = postgresUser();
    chownSync(dir, uid, gid);
  }
  return dir;
}

/** Starts a cluster copied from `template` (initPgTemplate) on a free port. */
export async function startPgCluster(template: string): Promise<PgCluster> {
  const dir = ownedTempDir('mote-pg-');
  const data = join(dir, 'data');
  const copy = spawnSync('cp', ['-a', join(template, 'data'), data]);
  if (copy.status !== 0) throw new Error(`copying the PostgreSQL template failed: ${copy.stderr}`);
  const port = await freePort();
  const options = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    `-k ${dir}`,
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=200',
    '-c shared_buffers=32MB',
  ].join(' ');
  const log = join(dir, 'log');
  const start = () => run('pg_ctl', ['-D', data, '-l', log, '-o', options, '-w', '-s', 'start']);
  const stop = () => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-s', 'stop']);
  start();
  return {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    stop,
    destroy() {
      try {
        stop();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

function postgresUser(): { uid: number; gid: number } {
  const r = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (r.status !== 0 || g.status !== 0) throw new Error('no `postgres` user: install Debian’s postgresql');
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

/** A fresh, empty database in the cluster at `adminUrl`; its URL. */
export async function createDatabase(adminUrl: string): Promise<string> {
  const name = `mote_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function provided(key: 'pgAdminUrl' | 'pgTemplate'): Promise<string> {
  const { inject } = await import('vitest');
  const value = inject(key);
  if (value === undefined)
    throw new Error(`PostgreSQL 15 is not installed (${PG_BIN}); \`npm test\` installs Debian's postgresql`);
  return value;
}

/** A fresh database in the run's cluster (test/global-setup.ts) for one suite. */
export async function suiteDatabase(): Promise<string> {
  return createDatabase(await provided('pgAdminUrl'));
}

/** A cluster of the suite's own, for a suite that stops and starts the server. */
export async function ownPgCluster(): Promise<PgCluster> {
  return startPgCluster(await provided('pgTemplate'));
}
