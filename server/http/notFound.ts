import { defineError } from '../../lib/errors';
import { errorResponse } from './route';

/** grpc-gateway's answer to a path it has no route for: code 5 (NotFound), HTTP 404. */
export const noRoute = defineError(
  'pkg/mote',
  'no_route',
  'not_found',
  'no API route for `{method} {path}`',
  {
    messageOnly: ['method', 'path'],
  },
);

export async function notFoundRoute(req: Request): Promise<Response> {
  const path = new URL(req.url).pathname;
  return errorResponse(noRoute({ method: req.method, path: path.slice(0, 200) }));
}
