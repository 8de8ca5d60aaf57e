/**
 * The console login and what it guards (issue 17, items 6, 7, 11, 12, 14, 16, and the password
 * hash), against a real Mote: a parallel guessing burst is cut at the limit while the real admin
 * gets in, `?next=` cannot send the browser elsewhere, a changed MOTE_ADMIN_PASSWORD ends old
 * sessions, a trusted proxy's clients are told apart, and the data dir is private.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appWithKey } from './helpers/api';
import { getFrom, loginFrom } from './helpers/edges';
import { type RunningMote, removeDataDir, startMote } from './helpers/mote';

const LOGIN_LIMIT = 5;
/** Each password check is scrypt at N=2^17: seconds on a loaded 2-core machine. */
const SCRYPT_BOUND = 180_000;
const PROXY = '127.0.0.5';

let mote: RunningMote;
let key: string;

beforeAll(async () => {
  mote = await startMote({
    env: { MOTE_TRUSTED_PROXIES: `${PROXY},10.0.0.0/8`, MOTE_HTTP_MAX_CONNECTIONS_PER_IP: '500' },
  });
  key = await appWithKey(mote, 'guarded', ['RIGHT_APPLICATION_ALL']);
});

afterAll(async () => {
  await mote?.stop();
  if (mote) removeDataDir(mote);
});

describe('login throttle (item 7)', () => {
  it(
    '200 concurrent wrong passwords from one address: at most the limit are checked; the admin elsewhere logs in',
    async () => {
      const burst = Array.from({ length: 200 }, () =>
        loginFrom(mote.httpPort, '127.0.0.2', 'wrong password'),
      );
      const admin = loginFrom(mote.httpPort, '127.0.0.3', mote.adminPassword);
      const results = await Promise.all(burst);
      const statuses = results.map((r) => r.status);
      const checked = statuses.filter((s) => s === 401).length;
      console.log(
        `200 concurrent wrong logins from one address: ${checked} checked (401), ` +
          `${statuses.filter((s) => s === 429).length} refused (429)`,
      );
      expect(checked).toBeLessThanOrEqual(LOGIN_LIMIT);
      expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
      expect(results.find((r) => r.status === 429)?.message).toMatch(
        /too many failed logins; try again in \d+ s/,
      );
      expect((await admin).status).toBe(200);
    },
    SCRYPT_BOUND,
  );
});

describe('trusted proxies (item 14)', () => {
  it(
    "through a trusted proxy, the client in X-Forwarded-For is throttled, not the proxy's other clients",
    async () => {
      const via = (client: string) => ({ 'x-forwarded-for': `${client}, 10.1.2.3` });
      for (let i = 0; i < LOGIN_LIMIT; i++)
        expect((await loginFrom(mote.httpPort, PROXY, 'wrong', via('203.0.113.7'))).status).toBe(401);
      expect((await loginFrom(mote.httpPort, PROXY, 'wrong', via('203.0.113.7'))).status).toBe(429);
      // Another client behind the same proxy is not affected.
      expect((await loginFrom(mote.httpPort, PROXY, mote.adminPassword, via('203.0.113.8'))).status).toBe(
        200,
      );
    },
    SCRYPT_BOUND,
  );

  it(
    'from an untrusted peer, X-Forwarded-For is ignored: rotating it does not escape the throttle',
    async () => {
      const from = '127.0.0.6';
      for (let i = 0; i < LOGIN_LIMIT; i++) {
        const r = await loginFrom(mote.httpPort, from, 'wrong', { 'x-forwarded-for': `198.51.100.${i}` });
        expect(r.status).toBe(401);
      }
      const spoofed = await loginFrom(mote.httpPort, from, 'wrong', { 'x-forwarded-for': '198.51.100.99' });
      expect(spoofed.status).toBe(429);
    },
    SCRYPT_BOUND,
  );
});

describe('?next= after login (item 6)', () => {
  it('a logged-in visit to /login goes to the same-origin path, never to another host', async () => {
    const { cookie } = await loginFrom(mote.httpPort, '127.0.0.7', mote.adminPassword);
    const redirectOf = async (next: string) => {
      const res = await fetch(`${mote.url}/login?next=${next}`, { headers: { cookie }, redirect: 'manual' });
      return new URL(res.headers.get('location') ?? '', mote.url);
    };
    const home = await redirectOf(encodeURIComponent('/applications/guarded'));
    expect(home.href).toBe(`${mote.url}/applications/guarded`);
    for (const attack of [
      '/%5Cevil.example/',
      '/%09/evil.example/',
      '//evil.example',
      'https://evil.example/',
    ]) {
      const target = await redirectOf(attack);
      expect(target.origin, attack).toBe(mote.url);
      expect(target.pathname, attack).toBe('/');
    }
  });
});

describe('storage durations (item 12)', () => {
  it.each(['99999999999d', '99999999999h', '-1h', '1e9h', '9223372036854775808ns'])(
    '?last=%s is a 400 with a message',
    async (last) => {
      const res = await getFrom(
        mote.httpPort,
        '127.0.0.1',
        `/api/v3/as/applications/guarded/packages/storage/uplink_message?last=${last}`,
        {
          authorization: `Bearer ${key}`,
        },
      );
      expect(res.status).toBe(400);
      expect((JSON.parse(res.body) as { message: string }).message).toMatch(/not a Go duration/);
    },
  );
});

describe('data dir (item 16)', () => {
  it('is 0700, and the database, its WAL and the KEK file are 0600', () => {
    const mode = (f: string) => statSync(f).mode & 0o777;
    expect(mode(mote.dataDir)).toBe(0o700);
    for (const f of ['mote.sqlite', 'mote.sqlite-wal', 'mote.sqlite-shm', 'kek'])
      expect(mode(join(mote.dataDir, f)).toString(8), f).toBe('600');
  });
});

describe('restarts (item 11, password hash)', () => {
  const hashIn = (dataDir: string) => {
    const db = new Database(join(dataDir, 'mote.sqlite'), { readonly: true });
    try {
      return (db.prepare('SELECT password_hash FROM admin').get() as { password_hash: string }).password_hash;
    } finally {
      db.close();
    }
  };
  const sessionWorks = async (target: RunningMote, cookie: string) =>
    (await getFrom(target.httpPort, '127.0.0.1', '/api/v3/applications', { cookie })).status === 200;

  it(
    'the same password keeps sessions; a changed one ends them; old hashes verify and are upgraded',
    async () => {
      let m = await startMote({ adminPassword: 'first-password-1' });
      try {
        expect(hashIn(m.dataDir)).toMatch(/^scrypt\$131072\$8\$1\$/);
        const first = await loginFrom(m.httpPort, '127.0.0.1', 'first-password-1');
        expect(first.status).toBe(200);
        await m.stop();

        // A hash of the old cost (N=2^14) for the same password, and a session already expired.
        const db = new Database(join(m.dataDir, 'mote.sqlite'));
        const { scryptSync, randomBytes } = await import('node:crypto');
        const salt = randomBytes(16);
        const old = scryptSync('first-password-1', salt, 32, { N: 16384, r: 8, p: 1 });
        db.prepare('UPDATE admin SET password_hash = ?').run(
          `scrypt$16384$8$1$${salt.toString('base64')}$${old.toString('base64')}`,
        );
        db.prepare(
          "INSERT INTO console_sessions (id_hash, username, csrf_token, expires_at, created_at) VALUES ('expired', 'admin', 'x', '2000-01-01T00:00:00.000Z', '2000-01-01T00:00:00.000Z')",
        ).run();
        db.close();

        m = await startMote({ dataDir: m.dataDir, adminPassword: 'first-password-1' });
        expect(await sessionWorks(m, first.cookie)).toBe(true);
        expect(hashIn(m.dataDir)).toMatch(/^scrypt\$131072\$/);
        expect((await loginFrom(m.httpPort, '127.0.0.1', 'first-password-1')).status).toBe(200);
        const db2 = new Database(join(m.dataDir, 'mote.sqlite'), { readonly: true });
        const expired = db2
          .prepare("SELECT COUNT(*) AS n FROM console_sessions WHERE id_hash = 'expired'")
          .get();
        db2.close();
        expect(expired).toEqual({ n: 0 });
        await m.stop();

        m = await startMote({ dataDir: m.dataDir, adminPassword: 'second-password-2' });
        expect(await sessionWorks(m, first.cookie)).toBe(false);
        expect((await loginFrom(m.httpPort, '127.0.0.1', 'first-password-1')).status).toBe(401);
        const second = await loginFrom(m.httpPort, '127.0.0.1', 'second-password-2');
        expect(second.status).toBe(200);
        expect(await sessionWorks(m, second.cookie)).toBe(true);
      } finally {
        await m.stop();
        removeDataDir(m);
      }
    },
    SCRYPT_BOUND,
  );
});
