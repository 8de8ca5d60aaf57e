import { relatedRoute } from '@/server/http/historyRoutes';

export const dynamic = 'force-dynamic';

/** `?correlation_id=…` → `{"events": [...]}`, the chain in the order it happened. */
export const GET = relatedRoute;
