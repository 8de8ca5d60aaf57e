import type { z } from 'zod';
import { asMoteError, httpErrorDetails, httpStatus } from '../../lib/errors';
import { parseJson, parseWith } from '../../lib/validation';
import type { Principal } from '../auth/principal';
import { authenticateRequest } from './authenticate';
import { requestTooLarge } from './errors';
import { type MoteRuntime, runtime } from './runtime';

export interface RouteContext<P> {
  req: Request;
  params: P;
  principal: Principal;
  rt: MoteRuntime;
  /** The request body, parsed as JSON and validated by the shared schema. */
  body<S extends z.ZodType>(schema: S): Promise<z.output<S>>;
}

type Handler<P> = (ctx: RouteContext<P>) => Promise<unknown>;

/** TTS-shaped error JSON: `{code, message, details}` with the class's HTTP status. */
export function errorResponse(e: unknown, log?: MoteRuntime['log']): Response {
  const err = asMoteError(e);
  if (err.errorClass === 'internal') log?.error({ err: e }, 'internal error in API handler');
  else if (err.errorClass === 'unavailable') log?.warn({ error: err.name }, err.message);
  return Response.json(
    { code: err.code, message: err.message, details: [httpErrorDetails(err)] },
    { status: httpStatus[err.errorClass], headers: { 'cache-control': 'no-store' } },
  );
}

/**
 * The body as text, counted as it is read and abandoned past the limit. The custom server has
 * already refused a longer body with 413 before any route ran (server/http/bodyLimit.ts); this is
 * the same rule for whatever reaches a route another way.
 */
async function readText(req: Request, maxBytes: number): Promise<string> {
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      await reader.cancel();
      throw requestTooLarge({ max_bytes: maxBytes });
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The one way a route reads its body: bounded, then JSON, then the shared schema. */
export async function readBody<S extends z.ZodType>(req: Request, schema: S): Promise<z.output<S>> {
  const maxBytes = runtime().config.http.maxBodyBytes;
  const text = await readText(req, maxBytes);
  return parseWith(schema, text.trim() === '' ? {} : parseJson(text));
}

/**
 * A thin API route: authenticate (API key or console session), run the handler, map a typed
 * error to its status. A handler returns a value (sent as JSON) or a Response.
 */
export function apiRoute<P = Record<string, never>>(handler: Handler<P>, options: { status?: number } = {}) {
  return async (req: Request, context: { params: Promise<P> }): Promise<Response> => {
    let rt: MoteRuntime | undefined;
    try {
      rt = runtime();
      const principal = await authenticateRequest(req, rt);
      const params = (await context.params) ?? ({} as P);
      const result = await handler({ req, params, principal, rt, body: (schema) => readBody(req, schema) });
      if (result instanceof Response) return result;
      return Response.json(result ?? {}, {
        status: options.status ?? 200,
        headers: { 'cache-control': 'no-store' },
      });
    } catch (e) {
      return errorResponse(e, rt?.log);
    }
  };
}
