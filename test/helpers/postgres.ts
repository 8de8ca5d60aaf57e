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

export async function startPgCluster(): Promise<PgCluster> {
  if (!postgresInstalled())
    throw new Error(`PostgreSQL 15 is not installed (${PG_BIN}); \`npm test\` installs Debian's postgresql`);
  const dir = mkdtempSync(join(tmpdir(), 'mote-pg-'));
  if (asRoot) {
    const { uid, gid } = postgresUser();
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  // C collation: text sorts by code point, as SQLite sorts it.
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--locale=C', '-E', 'UTF8', '--no-sync']);
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

/** A fresh database in the run's cluster (test/global-setup.ts) for one suite. */
export async function suiteDatabase(): Promise<string> {
  const { inject } = await import('vitest');
  const admin = inject('pgAdminUrl');
  if (admin === undefined)
    throw new Error(`PostgreSQL 15 is not installed (${PG_BIN}); \`npm test\` installs Debian's postgresql`);
  return createDatabase(admin);
}
