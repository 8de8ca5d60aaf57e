import { z } from 'zod';
import { idSchema } from '../../lib/ids';
import {
  storageCountQuery,
  storageParams,
  storageQuery,
  storageType,
  typeFilter,
} from '../../lib/schemas/storage';
import { parseWith } from '../../lib/validation';
import { requireRights } from '../auth/principal';
import { relatedStream, type StorageTarget, storageCount, storageStream } from './historyQueries';
import { apiRoute, type RouteContext } from './route';

type StorageParams = { app: string; dev?: string; type: string };

/** Rights, path type and the application or device, checked before anything is read. */
async function storageTarget({ rt, principal, params }: RouteContext<StorageParams>): Promise<StorageTarget> {
  requireRights(principal, params.app, 'RIGHT_APPLICATION_TRAFFIC_READ');
  const { type } = parseWith(z.object({ type: storageType }), { type: params.type }, 'path');
  if (params.dev === undefined) await rt.store.applications.get(params.app);
  else await rt.store.devices.get(params.app, params.dev);
  return { applicationId: params.app, deviceId: params.dev, type: typeFilter(type) };
}

/** grpc-gateway picks TTS's event-stream marshaler (results split by a blank line) on this Accept. */
const wantsEventStream = (req: Request) =>
  (req.headers.get('accept') ?? '').split(',').some((t) => t.split(';')[0]?.trim() === 'text/event-stream');

/**
 * `GET /as/applications/{app}[/devices/{dev}]/packages/storage/{type}`: every matching
 * `{"result": ApplicationUp}`, streamed as it is read. Shared by the two route files.
 */
export const storageRoute = apiRoute<StorageParams>(async (ctx) => {
  const target = await storageTarget(ctx);
  const query = parseWith(storageQuery, storageParams(new URL(ctx.req.url).searchParams), 'query');
  const sse = wantsEventStream(ctx.req);
  // Held until the answer ends: read to the end, failed, or dropped by the client.
  const done = ctx.rt.historyReads.begin(ctx.principal.credentialId);
  const body = await storageStream(
    ctx.rt.store.history,
    ctx.rt.clock.now(),
    target,
    query,
    sse ? '\n\n' : '\n',
    done,
  );
  return new Response(body, {
    headers: {
      'content-type': sse ? 'text/event-stream' : 'application/json',
      'cache-control': 'no-store',
    },
  });
});

/** `GET …/packages/storage/{type}/count`: `{"count": {device_id: n}}` under the same filters. */
export const storageCountRoute = apiRoute<StorageParams>(async (ctx) => {
  const target = await storageTarget(ctx);
  const query = parseWith(storageCountQuery, storageParams(new URL(ctx.req.url).searchParams), 'query');
  return storageCount(ctx.rt.store.history, ctx.rt.clock.now(), target, query);
});

const relatedQuery = z.object({
  correlation_id: z.string().min(1, 'is required').max(100),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
  /** Mote's addition: `prefix` matches every ID starting with `correlation_id` (the console's filter). */
  match: z.enum(['exact', 'prefix'], { error: 'must be exact or prefix' }).default('exact'),
  /** Mote's addition: one application's messages only (the console inside an application). */
  application_id: idSchema.optional(),
});

/**
 * `GET /events/related?correlation_id=…`: every stored message carrying the ID, oldest first,
 * as TTS events, streamed. An API key sees its own application's messages only; with
 * `application_id`, the admin too sees that application's alone (a prefix as short as `as:`
 * would otherwise read every application's history).
 */
export const relatedRoute = apiRoute(async ({ rt, principal, req }) => {
  const q = parseWith(relatedQuery, Object.fromEntries(new URL(req.url).searchParams), 'query');
  const applicationId =
    q.application_id ?? (principal.kind === 'admin' ? undefined : principal.applicationId);
  if (applicationId !== undefined) {
    requireRights(principal, applicationId, 'RIGHT_APPLICATION_TRAFFIC_READ');
    await rt.store.applications.get(applicationId);
  }
  const done = rt.historyReads.begin(principal.credentialId);
  const body = await relatedStream(
    rt.store.history,
    q.correlation_id,
    applicationId,
    q.limit,
    done,
    q.match === 'prefix',
  );
  return new Response(body, { headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
});
