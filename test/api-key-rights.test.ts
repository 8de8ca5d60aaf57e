/**
 * Issue 17 item 10 against a real server, over HTTP and the CLI: a key holding only
 * SETTINGS_API_KEYS cannot delete a stronger key or change its expiry, and an expiring key
 * cannot clear or extend its own expiry (nor outlive itself through a key it creates). The
 * victim's key keeps working, with the expiry it had.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, type Caller, call } from './helpers/api';
import { mote } from './helpers/cli';
import { type RunningMote, removeDataDir, startMote } from './helpers/mote';

interface KeyView {
  id: string;
  key?: string;
  expires_at?: string;
  rights: string[];
}
interface ErrorBody {
  message: string;
  details: { name: string }[];
}

let server: RunningMote;
let admin: Caller;
let production: KeyView;
let settings: KeyView;
let expiring: KeyView;
const HOUR = 3600_000;
const keysPath = '/api/v3/applications/app1/api-keys';

async function createKey(who: Caller, name: string, rights: string[], expires_at?: string) {
  const r = await call<KeyView>(server, who, 'POST', keysPath, { name, rights, expires_at });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}

const stored = async (id: string) => (await call<KeyView>(server, admin, 'GET', `${keysPath}/${id}`)).body;
const productionWorks = async () =>
  (await call(server, { key: production.key! }, 'GET', '/api/v3/applications/app1')).status === 200;

beforeAll(async () => {
  server = await startMote();
  admin = await adminSession(server);
  const app = await call(server, admin, 'POST', '/api/v3/applications', {
    application: { ids: { application_id: 'app1' } },
  });
  expect(app.status).toBe(200);
  production = await createKey(admin, 'production', ['RIGHT_APPLICATION_ALL']);
  settings = await createKey(admin, 'settings', ['RIGHT_APPLICATION_SETTINGS_API_KEYS']);
  expiring = await createKey(
    admin,
    'expiring',
    ['RIGHT_APPLICATION_ALL'],
    new Date(Date.now() + HOUR).toISOString(),
  );
});

afterAll(async () => {
  await server?.stop();
  if (server) removeDataDir(server);
});

describe('a settings-only key against a stronger key, over HTTP', () => {
  it('cannot delete the ALL key: 403 naming the missing rights; the key keeps working', async () => {
    const r = await call<ErrorBody>(server, { key: settings.key! }, 'DELETE', `${keysPath}/${production.id}`);
    expect(r.status).toBe(403);
    expect(r.body.details[0]?.name).toBe('insufficient_rights');
    expect(r.body.message).toContain('RIGHT_APPLICATION_TRAFFIC_READ');
    expect(await productionWorks()).toBe(true);
  });

  it('cannot make the ALL key expire in 2 s: 403; its expiry is unchanged', async () => {
    const soon = new Date(Date.now() + 2000).toISOString();
    const r = await call<ErrorBody>(server, { key: settings.key! }, 'PUT', `${keysPath}/${production.id}`, {
      api_key: { expires_at: soon },
    });
    expect(r.status).toBe(403);
    expect(r.body.message).toContain('cannot delete or change the expiry');
    expect((await stored(production.id)).expires_at).toBeUndefined();
    expect(await productionWorks()).toBe(true);
  });

  it('still deletes and re-times keys with no more rights than its own', async () => {
    const peer = await createKey(admin, 'peer', ['RIGHT_APPLICATION_SETTINGS_API_KEYS']);
    const later = new Date(Date.now() + HOUR).toISOString();
    const put = await call(server, { key: settings.key! }, 'PUT', `${keysPath}/${peer.id}`, {
      api_key: { expires_at: later },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect((await call(server, { key: settings.key! }, 'DELETE', `${keysPath}/${peer.id}`)).status).toBe(200);
    expect((await call(server, admin, 'GET', `${keysPath}/${peer.id}`)).status).toBe(404);
  });
});

describe('an expiring key and its own expiry, over HTTP', () => {
  it.each([
    ['clear it', null],
    ['extend it', new Date(Date.now() + 48 * HOUR).toISOString()],
  ])('cannot %s: 403 expiry_beyond_caller; the expiry is unchanged', async (_, expires_at) => {
    const before = (await stored(expiring.id)).expires_at;
    const r = await call<ErrorBody>(server, { key: expiring.key! }, 'PUT', `${keysPath}/${expiring.id}`, {
      api_key: { expires_at },
    });
    expect(r.status).toBe(403);
    expect(r.body.details[0]?.name).toBe('expiry_beyond_caller');
    expect((await stored(expiring.id)).expires_at).toBe(before);
  });

  it('cannot mint a key that outlives it; one that expires before it is fine', async () => {
    const count = async () =>
      (await call<{ api_keys: unknown[] }>(server, admin, 'GET', keysPath)).body.api_keys;
    const before = (await count()).length;
    const forever = await call<ErrorBody>(server, { key: expiring.key! }, 'POST', keysPath, {
      name: 'forever',
      rights: ['RIGHT_APPLICATION_TRAFFIC_READ'],
    });
    expect(forever.status).toBe(403);
    expect(forever.body.details[0]?.name).toBe('expiry_beyond_caller');
    expect((await count()).length).toBe(before);
    const shorter = new Date(Date.now() + HOUR / 2).toISOString();
    await createKey({ key: expiring.key! }, 'shorter', ['RIGHT_APPLICATION_TRAFFIC_READ'], shorter);
  });

  it('may shorten its own expiry', async () => {
    const sooner = new Date(Date.now() + HOUR / 2).toISOString();
    const r = await call<KeyView>(server, { key: expiring.key! }, 'PUT', `${keysPath}/${expiring.id}`, {
      api_key: { expires_at: sooner },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(Date.parse(r.body.expires_at!)).toBe(Date.parse(sooner));
  });
});

describe('the same over the CLI', () => {
  const asSettings = () => ({ MOTE_URL: server.url, MOTE_API_KEY: settings.key! });

  it('api-keys delete of the ALL key with the settings key fails and says why; the key keeps working', async () => {
    const r = await mote(['applications', 'api-keys', 'delete', 'app1', production.id], asSettings());
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('cannot delete or change the expiry');
    expect(await productionWorks()).toBe(true);
  });

  it('api-keys update --expires-at of the ALL key with the settings key fails; the expiry is unchanged', async () => {
    const soon = new Date(Date.now() + 2000).toISOString();
    const r = await mote(
      ['applications', 'api-keys', 'update', 'app1', production.id, '--expires-at', soon],
      asSettings(),
    );
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('cannot delete or change the expiry');
    expect((await stored(production.id)).expires_at).toBeUndefined();
  });

  it('an expiring key extending its own expiry with the CLI fails', async () => {
    const later = new Date(Date.now() + 48 * HOUR).toISOString();
    const r = await mote(['applications', 'api-keys', 'update', 'app1', expiring.id, '--expires-at', later], {
      MOTE_URL: server.url,
      MOTE_API_KEY: expiring.key!,
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('no later than the calling key expires');
  });
});
