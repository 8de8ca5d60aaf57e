import { createApiKeyRequest } from '@/lib/schemas/apiKeys';
import { apiRoute } from '@/server/http/route';
import { apiKeyView } from '@/server/http/views';

export const dynamic = 'force-dynamic';
type Params = { app: string };

export const GET = apiRoute<Params>(async ({ rt, principal, params }) => ({
  api_keys: (await rt.apiKeys.list(principal, params.app)).map(apiKeyView),
}));

/** The full key is in this response and nowhere else, ever. */
export const POST = apiRoute<Params>(async ({ rt, principal, params, body }) => {
  const input = await body(createApiKeyRequest);
  const created = await rt.apiKeys.create(principal, params.app, input);
  return { ...apiKeyView(created), key: created.key };
});
