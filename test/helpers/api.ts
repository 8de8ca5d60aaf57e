import type { RunningMote } from './mote';

export interface ApiResult<T = Record<string, unknown>> {
  status: number;
  body: T;
}

/** A console session (admin), as the browser holds it: cookie + CSRF header. */
export async function adminSession(mote: RunningMote): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${mote.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ password: mote.adminPassword }),
  });
  if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  // `name=value` of each Set-Cookie, without its attributes.
  const cookies = res.headers.getSetCookie().map((c) => {
    const end = c.indexOf(';');
    return end === -1 ? c : c.slice(0, end);
  });
  const csrf = cookies.find((c) => c.startsWith('mote_csrf='))?.slice('mote_csrf='.length) ?? '';
  return { cookie: cookies.join('; '), csrf };
}

export type Caller = { key: string } | { cookie: string; csrf: string } | Record<string, never>;

export async function call<T = Record<string, unknown>>(
  mote: RunningMote,
  who: Caller,
  method: string,
  path: string,
  body?: unknown,
): Promise<ApiResult<T>> {
  const headers: Record<string, string> = {};
  if ('key' in who) headers.authorization = `Bearer ${who.key}`;
  if ('cookie' in who) {
    headers.cookie = who.cookie;
    headers['x-csrf-token'] = who.csrf;
  }
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${mote.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as T };
}

/** Creates an application as admin and an API key on it with the given rights. */
export async function appWithKey(mote: RunningMote, appId: string, rights: string[]): Promise<string> {
  const admin = await adminSession(mote);
  const created = await call(mote, admin, 'POST', '/api/v3/applications', {
    application: { ids: { application_id: appId } },
  });
  if (created.status !== 200 && created.status !== 409)
    throw new Error(`create app: ${JSON.stringify(created)}`);
  const key = await call<{ key: string }>(mote, admin, 'POST', `/api/v3/applications/${appId}/api-keys`, {
    name: 'test',
    rights,
  });
  if (key.status !== 200) throw new Error(`create key: ${JSON.stringify(key)}`);
  return key.body.key;
}
