import { storageRoute } from '@/server/http/historyRoutes';

export const dynamic = 'force-dynamic';

/** History of docs/behaviour.md §6; the handler is shared with the application/device variant. */
export const GET = storageRoute;
