import { updateApiKeyRequest } from '@/lib/schemas/apiKeys';
import { apiRoute } from '@/server/http/route';
import { apiKeyView } from '@/server/http/views';

export const dynamic = 'force-dynamic';
type Params = { app: string; id: string };

export const GET = apiRoute<Params>(async ({ rt, principal, params }) =>
  apiKeyView(await rt.apiKeys.get(principal, params.app, params.id)),
);

export const PUT = apiRoute<Params>(async ({ rt, principal, params, body }) => {
  const { api_key } = await body(updateApiKeyRequest);
  return apiKeyView(await rt.apiKeys.update(principal, params.app, params.id, api_key));
});

export const DELETE = apiRoute<Params>(async ({ rt, principal, params }) => {
  await rt.apiKeys.delete(principal, params.app, params.id);
  return {};
});
