/**
 * The CLI's HTTP client. `MOTE_URL` (default http://localhost:3000); authenticates with
 * `MOTE_API_KEY`, or logs in with `MOTE_ADMIN_PASSWORD` and uses that console session.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

interface Session {
  cookie: string;
  csrf: string;
}

let session: Promise<Session> | undefined;

const baseUrl = () => (process.env.MOTE_URL ?? 'http://localhost:3000').replace(/\/$/, '');

async function login(): Promise<Session> {
  const password = process.env.MOTE_ADMIN_PASSWORD;
  if (!password)
    throw new CliError('set MOTE_API_KEY (an API key) or MOTE_ADMIN_PASSWORD to authenticate', 2);
  const res = await send('POST', '/api/auth/login', { password }, {});
  // `name=value` of each Set-Cookie, without its attributes.
  const cookies = res.headers.getSetCookie().map((c) => {
    const end = c.indexOf(';');
    return end === -1 ? c : c.slice(0, end);
  });
  const csrf = cookies.find((c) => c.startsWith('mote_csrf='))?.slice('mote_csrf='.length) ?? '';
  return { cookie: cookies.join('; '), csrf: decodeURIComponent(csrf) };
}

async function send(
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(`${baseUrl()}${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new CliError(`cannot reach Mote at ${baseUrl()}: ${(e as Error).cause ?? (e as Error).message}`);
  }
  if (!res.ok) {
    const text = await res.text();
    let message = text;
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? text;
    } catch {}
    throw new CliError(`error: ${message} (HTTP ${res.status})`);
  }
  return res;
}

/** One API call; resolves the parsed JSON response or throws CliError with the API's message. */
export async function request(method: string, path: string, body?: unknown): Promise<unknown> {
  const key = process.env.MOTE_API_KEY;
  let headers: Record<string, string>;
  if (key) {
    headers = { authorization: `Bearer ${key}` };
  } else {
    session ??= login();
    const s = await session;
    headers = { cookie: s.cookie, 'x-csrf-token': s.csrf };
  }
  const res = await send(method, path, body, headers);
  const text = await res.text();
  return text ? JSON.parse(text) : {};
}

/** ttn-lw-cli prints indented JSON on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export const enc = encodeURIComponent;
