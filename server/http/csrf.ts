import { crossSiteRequest } from './errors';

/**
 * Cross-site request forgery, for requests a browser sends with the console's cookies. The
 * session's token in `x-csrf-token` is the main defence (authenticate.ts); this check refuses
 * any mutation another site started, which also covers the login form (no session yet, so no
 * token: login CSRF) and sibling subdomains, which SameSite=Lax treats as the same site.
 */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const isSafeMethod = (method: string) => SAFE_METHODS.has(method);

/** The hosts this request was addressed to: `Host`, and a proxy's `X-Forwarded-Host`. */
function ownHosts(req: Request): string[] {
  const forwarded = (req.headers.get('x-forwarded-host') ?? '').split(',').map((h) => h.trim());
  return [req.headers.get('host') ?? '', ...forwarded].filter((h) => h !== '').map((h) => h.toLowerCase());
}

export function isCrossSite(req: Request): boolean {
  // Fetch metadata (every current browser): anything but our own origin or the user's own action.
  const site = req.headers.get('sec-fetch-site');
  if (site === 'cross-site' || site === 'same-site') return true;
  const origin = req.headers.get('origin');
  // No Origin: not a browser's cross-origin request (browsers send it on every such POST).
  if (origin === null) return false;
  try {
    return !ownHosts(req).includes(new URL(origin).host.toLowerCase());
  } catch {
    // `Origin: null` (sandboxed frames, data: URLs) and garbage are nobody we know.
    return true;
  }
}

export function requireSameOrigin(req: Request): void {
  if (!isSafeMethod(req.method) && isCrossSite(req)) {
    throw crossSiteRequest({ origin: req.headers.get('origin') ?? undefined });
  }
}
