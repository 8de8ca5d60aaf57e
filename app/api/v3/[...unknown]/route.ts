import { notFoundRoute } from '@/server/http/notFound';

export const dynamic = 'force-dynamic';

/**
 * Any `/api/v3/…` path no route serves, with any method: grpc-gateway's JSON 404
 * (`{"code": 5, …}`), never the console's HTML page — a client reading JSON gets an error it can parse.
 */
export const GET = notFoundRoute;
export const HEAD = notFoundRoute;
export const POST = notFoundRoute;
export const PUT = notFoundRoute;
export const PATCH = notFoundRoute;
export const DELETE = notFoundRoute;
export const OPTIONS = notFoundRoute;
