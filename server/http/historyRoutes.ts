import { z } from 'zod';
import { storageQuery, storageType, typeFilter } from '../../lib/schemas/storage';
import { parseWith } from '../../lib/validation';
import { requireRights } from '../auth/principal';
import { relatedEvents, storageLines } from './historyQueries';
import { apiRoute } from './route';

type StorageParams = { app: string; dev?: string; type: string };

/**
 * `GET /as/applications/{app}[/devices/{dev}]/packages/storage/{type}`: newline-delimited
 * `{"result": ApplicationUp}` objects, as TTS streams them. Shared by the two route files.
 */
export const storageRoute = apiRoute<StorageParams>(async ({ rt, principal, params, req }) => {
  requireRights(principal, params.app, 'RIGHT_APPLICATION_TRAFFIC_READ');
  const { type } = parseWith(z.object({ type: storageType }), { type: params.type }, 'path');
  const query = parseWith(storageQuery, Object.fromEntries(new URL(req.url).searchParams), 'query');
  if (params.dev === undefined) await rt.store.applications.get(params.app);
  else await rt.store.devices.get(params.app, params.dev);
  const target = { applicationId: params.app, deviceId: params.dev, type: typeFilter(type) };
  const body = await storageLines(rt.store.history, rt.clock.now(), target, query);
  return new Response(body, { headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
});

const relatedQuery = z.object({
  correlation_id: z.string().min(1, 'is required').max(100),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});

/**
 * `GET /events/related?correlation_id=…`: every stored message carrying the ID, oldest first,
 * as TTS events. An API key sees its own application's messages only.
 */
export const relatedRoute = apiRoute(async ({ rt, principal, req }) => {
  const q = parseWith(relatedQuery, Object.fromEntries(new URL(req.url).searchParams), 'query');
  const applicationId = principal.kind === 'admin' ? undefined : principal.applicationId;
  if (applicationId !== undefined) requireRights(principal, applicationId, 'RIGHT_APPLICATION_TRAFFIC_READ');
  return relatedEvents(rt.store.history, q.correlation_id, applicationId, q.limit);
});
