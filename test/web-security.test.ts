/**
 * Web security (issue 7): CSRF protection on every mutating console request, security headers on
 * pages and API answers, and no secret in the logs or the data directory after a whole scenario.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call } from './helpers/api';
import { at } from './helpers/at';
import { ENDPOINTS } from './helpers/authz';
import { closeReason } from './helpers/closed';
import { type RunningMote, removeDataDir, startMote } from './helpers/mote';
import { connectPacket, rawClient } from './helpers/mqtt';

const APP = 'web';
const DEV = 'dev1';

let mote: RunningMote;
let admin: { cookie: string; csrf: string };
let targetKey: string;

beforeAll(async () => {
  // The most verbose level: a secret must not reach the log at any level.
  mote = await startMote({ env: { LOG_LEVEL: 'trace' } });
  admin = await adminSession(mote);
  expect(
    (
      await call(mote, admin, 'POST', '/api/v3/applications', {
        application: { ids: { application_id: APP } },
      })
    ).status,
  ).toBe(200);
  const dev = await call(mote, admin, 'POST', `/api/v3/applications/${APP}/devices`, {
    end_device: { ids: { device_id: DEV, dev_eui: '70B3D57ED0000B01', join_eui: '0000000000000000' } },
  });
  expect(dev.status).toBe(200);
  const key = await call<{ id: string }>(mote, admin, 'POST', `/api/v3/applications/${APP}/api-keys`, {
    name: 'target',
    rights: ['RIGHT_APPLICATION_INFO'],
  });
  targetKey = key.body.id;
});

afterAll(async () => {
  await mote?.stop();
  if (mote) removeDataDir(mote);
});

const fill = (path: string) =>
  path.replace(
    /\{(\w+)\}/g,
    (_, v: string) => ({ app: APP, dev: DEV, key: targetKey, fresh: v === 'fresh' ? DEV : '' })[v] ?? '',
  );

/** Everything a console mutation could change, read from the SQLite file. */
function fingerprint(): string {
  const db = new Database(join(mote.dataDir, 'mote.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return ['applications', 'end_devices', 'api_keys', 'downlink_queue', 'console_sessions']
      .map((t) => JSON.stringify(db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all()))
      .join('\n');
  } finally {
    db.close();
  }
}

describe('CSRF', () => {
  const forged: [string, (csrf: string) => Record<string, string>][] = [
    ['no CSRF token', () => ({})],
    ['a wrong CSRF token', () => ({ 'x-csrf-token': 'forged' })],
    [
      'the right token from a cross-site Origin',
      (csrf) => ({ 'x-csrf-token': csrf, origin: 'http://evil.example' }),
    ],
    [
      'the right token from a sibling subdomain',
      (csrf) => ({ 'x-csrf-token': csrf, 'sec-fetch-site': 'same-site' }),
    ],
    ['the right token with Origin: null', (csrf) => ({ 'x-csrf-token': csrf, origin: 'null' })],
  ];

  it('every mutating console request without the token or from another site → 403, nothing changed', async () => {
    const mutations = [
      ...ENDPOINTS.filter((e) => e.method !== 'GET').map((e) => ({
        method: e.method,
        path: fill(e.path),
        body: e.body?.(0),
      })),
      { method: 'POST', path: '/api/auth/logout', body: undefined },
    ];
    let cells = 0;
    const failures: string[] = [];
    for (const m of mutations) {
      for (const [what, headers] of forged) {
        const before = fingerprint();
        const res = await fetch(`${mote.url}${m.path}`, {
          method: m.method,
          headers: { cookie: admin.cookie, 'content-type': 'application/json', ...headers(admin.csrf) },
          body: m.body === undefined ? undefined : JSON.stringify(m.body),
        });
        cells++;
        const text = await res.text();
        if (res.status !== 403)
          failures.push(`${m.method} ${m.path} with ${what}: ${res.status} ${text.slice(0, 200)}`);
        if (fingerprint() !== before)
          failures.push(`${m.method} ${m.path} with ${what}: the database changed`);
      }
    }
    console.log(
      `CSRF: ${mutations.length} mutating console requests × ${forged.length} forgeries = ${cells} cells, ${failures.length} wrong`,
    );
    expect(failures).toEqual([]);
    // The session survived all of it, and the genuine request (same origin, right token) works.
    const genuine = await fetch(`${mote.url}/api/v3/applications/${APP}`, {
      method: 'PUT',
      headers: {
        cookie: admin.cookie,
        'x-csrf-token': admin.csrf,
        origin: mote.url,
        'sec-fetch-site': 'same-origin',
      },
      body: JSON.stringify({ application: { name: 'genuine' } }),
    });
    expect(genuine.status).toBe(200);
  });

  it('login from another site → 403 and no session; from our own origin it works', async () => {
    const login = (headers: Record<string, string>) =>
      fetch(`${mote.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ password: mote.adminPassword }),
      });
    const crossSite: Record<string, string>[] = [
      { origin: 'http://evil.example' },
      { 'sec-fetch-site': 'cross-site' },
      { origin: 'null' },
    ];
    for (const headers of crossSite) {
      const res = await login(headers);
      expect(res.status).toBe(403);
      expect(at(((await res.json()) as { details: { name: string }[] }).details, 0).name).toBe(
        'cross_site_request',
      );
      expect(res.headers.getSetCookie()).toEqual([]);
    }
    const ok = await login({ origin: mote.url, 'sec-fetch-site': 'same-origin' });
    expect(ok.status).toBe(200);
  });

  it('API keys need no CSRF token: a bearer is no ambient credential', async () => {
    const key = await call<{ key: string }>(mote, admin, 'POST', `/api/v3/applications/${APP}/api-keys`, {
      rights: ['RIGHT_APPLICATION_SETTINGS_BASIC'],
    });
    const res = await fetch(`${mote.url}/api/v3/applications/${APP}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${key.body.key}`, origin: 'http://tool.example' },
      body: JSON.stringify({ application: { description: 'from a tool' } }),
    });
    expect(res.status).toBe(200);
  });
});

describe('security headers', () => {
  const scriptNonces = (html: string) =>
    [...html.matchAll(/<script\b[^>]*>/g)].map((m) => /\snonce="([^"]+)"/.exec(m[0])?.[1]);

  it('pages, API answers and /healthz carry them; pages allow only this response’s scripts', async () => {
    const paths = [
      '/login',
      '/',
      `/applications/${APP}`,
      `/applications/${APP}/devices/${DEV}`,
      '/no-such-page',
      '/api/v3/applications',
      '/healthz',
    ];
    const nonces = new Set<string>();
    for (const path of paths) {
      const res = await fetch(`${mote.url}${path}`, {
        headers: { cookie: admin.cookie },
        redirect: 'manual',
      });
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('referrer-policy'), path).toBe('same-origin');
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toContain("object-src 'none'");
      expect(csp, path).toContain("base-uri 'self'");
      const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src')) ?? '';
      expect(scriptSrc, path).not.toContain('unsafe-inline');
      expect(scriptSrc, path).not.toContain('unsafe-eval');
      const nonce = /'nonce-([^']+)'/.exec(scriptSrc)?.[1];
      expect(nonce, path).toBeTruthy();
      nonces.add(nonce ?? '');
      const html = await res.text();
      if (res.headers.get('content-type')?.includes('text/html') && path !== '/no-such-page') {
        const tags = scriptNonces(html);
        expect(tags.length, path).toBeGreaterThan(0);
        expect(new Set(tags), path).toEqual(new Set([nonce]));
      }
    }
    // A fresh nonce per response.
    expect(nonces.size).toBe(paths.length);
  });

  it('a client cannot choose the nonce by sending its own CSP request header', async () => {
    const res = await fetch(`${mote.url}/login`, {
      headers: { 'content-security-policy': "script-src 'nonce-CHOSEN'" },
    });
    expect(res.headers.get('content-security-policy')).not.toContain('CHOSEN');
    expect(await res.text()).not.toContain('CHOSEN');
  });
});

describe('secrets', () => {
  it('no API key, password, session or console token in the logs, history or data directory', async () => {
    const wrongPassword = `almost-${mote.adminPassword}`;
    const session = await adminSession(mote);
    await fetch(`${mote.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ password: wrongPassword }),
    });
    const created = await call<{ key: string; id: string }>(
      mote,
      session,
      'POST',
      `/api/v3/applications/${APP}/api-keys`,
      {
        name: 'secret-test',
        rights: ['RIGHT_APPLICATION_ALL'],
      },
    );
    const key = created.body.key;
    const wrongSecretKey = `NNSXS.${created.body.id}.${'C'.repeat(52)}`;
    expect((await call(mote, { key }, 'GET', `/api/v3/applications/${APP}`)).status).toBe(200);
    expect((await call(mote, { key: wrongSecretKey }, 'GET', `/api/v3/applications/${APP}`)).status).toBe(
      401,
    );
    expect(
      (
        await call(mote, { key }, 'POST', `/api/v3/as/applications/${APP}/devices/${DEV}/up/simulate`, {
          uplink_message: { f_port: 1, frm_payload: 'AQ==' },
        })
      ).status,
    ).toBe(200);
    const token = (await call<{ token: string }>(mote, session, 'POST', '/api/auth/console-token')).body
      .token;

    // MQTT: the key, the console token, wrong credentials, a downlink, a bad downlink, a
    // CONNECT with the key that is refused for its protocol name.
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${mote.mqttPort}`, {
      username: APP,
      password: key,
      reconnectPeriod: 0,
    });
    await client.subscribeAsync('#');
    await client.publishAsync(
      `v3/${APP}/devices/${DEV}/down/push`,
      JSON.stringify({ downlinks: [{ f_port: 1, frm_payload: 'AQ==' }] }),
      { qos: 1 },
    );
    await client.publishAsync(`v3/${APP}/devices/${DEV}/down/push`, '{"downlinks": [{"f_port": 0', {
      qos: 1,
    });
    const consoleClient = await mqtt.connectAsync(`mqtt://127.0.0.1:${mote.mqttPort}`, {
      username: APP,
      password: token,
      reconnectPeriod: 0,
    });
    await consoleClient.endAsync();
    await expect(
      mqtt.connectAsync(`mqtt://127.0.0.1:${mote.mqttPort}`, {
        username: APP,
        password: wrongSecretKey,
        reconnectPeriod: 0,
      }),
    ).rejects.toThrow(/Not authorized/i);
    const raw = await rawClient(mote.mqttPort);
    raw.send({ ...connectPacket(APP, key, 'bad-protocol'), protocolId: 'MQIsdp' });
    // MQIsdp goes with level 3 only: 0x01 unacceptable protocol version, then the server closes.
    expect(await closeReason(raw)).toEqual({ closed: 'by server', connack: 1 });
    // Changing and deleting the key ends its session (logged with the key's ID only).
    expect(
      (
        await call(mote, session, 'PUT', `/api/v3/applications/${APP}/api-keys/${created.body.id}`, {
          api_key: { name: 'renamed' },
        })
      ).status,
    ).toBe(200);
    expect(
      (await call(mote, session, 'DELETE', `/api/v3/applications/${APP}/api-keys/${created.body.id}`)).status,
    ).toBe(200);
    await client.endAsync(true);
    expect((await call(mote, session, 'POST', '/api/auth/logout')).status).toBe(200);
    const sessionId = /mote_session=([^;]+)/.exec(session.cookie)?.[1] ?? '';
    expect(sessionId.length).toBeGreaterThan(20);

    await mote.stop();
    const log = mote.output();
    const files = readdirSync(mote.dataDir).map((f) =>
      readFileSync(join(mote.dataDir, f)).toString('latin1'),
    );
    const secrets: [string, string][] = [
      ['the API key', key],
      ['the API key’s secret', at(key.split('.'), 2)],
      ['a wrong-secret key', at(wrongSecretKey.split('.'), 2)],
      ['the admin password', mote.adminPassword],
      ['a wrong password', wrongPassword],
      ['the session ID', sessionId],
      ['the console token', token],
    ];
    const leaks = secrets.flatMap(([what, secret]) => [
      ...(log.includes(secret) ? [`${what} in the log`] : []),
      ...(files.some((f) => f.includes(secret)) ? [`${what} in the data directory`] : []),
    ]);
    // The CSRF token is the one session value stored as is (it is sent back to compare); never logged.
    if (log.includes(session.csrf)) leaks.push('the CSRF token in the log');
    const lines = log.split('\n').filter((l) => l.trim() !== '').length;
    console.log(
      `secrets: ${secrets.length + 1} secrets searched in ${lines} log lines (trace level) and ${files.length} data files; ${leaks.length} found`,
    );
    expect(log).toContain(created.body.id);
    expect(leaks).toEqual([]);
  });
});
