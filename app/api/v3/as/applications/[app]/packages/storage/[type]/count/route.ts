import { storageCountRoute } from '@/server/http/historyRoutes';

export const dynamic = 'force-dynamic';

/** Stored-message counts of docs/behaviour.md §6.3; shared with the application/device variant. */
export const GET = storageCountRoute;
