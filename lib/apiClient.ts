import { setReachable } from './console/reachability';

/**
 * The console's HTTP client: same-origin fetch with the session cookie, the CSRF header on
 * every mutation, and TTS error JSON turned into an Error carrying the API's message.
 */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(message);
  }
}

/** No answer at all (the browser's "Failed to fetch"): said in words, and known console-wide. */
export class MoteUnreachable extends Error {
  override readonly name = 'mote_unreachable';
  constructor() {
    super('Mote cannot be reached.');
  }
}

function csrfToken(): string {
  if (typeof document === 'undefined') return '';
  const value = /(?:^|;\s*)mote_csrf=([^;]*)/.exec(document.cookie)?.[1];
  return value === undefined ? '' : decodeURIComponent(value);
}

export async function apiFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.method && init.method !== 'GET') headers.set('x-csrf-token', csrfToken());
  if (init.body !== undefined && !headers.has('content-type'))
    headers.set('content-type', 'application/json');
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers, credentials: 'same-origin' });
  } catch (e) {
    // An abort is the caller's own doing, not a sign that Mote is gone.
    if (init.signal?.aborted) throw e;
    setReachable(false);
    throw new MoteUnreachable();
  }
  setReachable(true);
  return res;
}

export async function api<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const { json, ...rest } = init;
  const res = await apiFetch(path, json === undefined ? rest : { ...rest, body: JSON.stringify(json) });
  const text = await res.text();
  let body: unknown = {};
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    body = { message: text };
  }
  if (!res.ok) {
    if (res.status === 401 && typeof window !== 'undefined')
      window.location.assign(
        `/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`,
      );
    throw new ApiError((body as { message?: string }).message ?? `HTTP ${res.status}`, res.status, body);
  }
  return body as T;
}
