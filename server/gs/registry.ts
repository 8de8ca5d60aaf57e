/**
 * The gateway registry as the frontends ask it: once per datagram, so answers (a miss included:
 * an unregistered forwarder keeps sending) are kept for a few seconds. The HTTP API calls
 * `invalidate` after it creates, updates or deletes a gateway, so a change applies at once.
 */
import type { Clock } from '../clock';
import type { Gateway, GatewayStore } from '../store/ports';

export const DEFAULT_REGISTRY_TTL_MS = 10_000;

export interface GatewayLookup {
  find(eui: string): Promise<Gateway | undefined>;
  invalidate(eui: string): void;
}

export function cachedLookup(
  gateways: Pick<GatewayStore, 'findByEui'>,
  clock: Clock,
  ttlMs = DEFAULT_REGISTRY_TTL_MS,
): GatewayLookup {
  const cache = new Map<string, { at: number; answer: Promise<Gateway | undefined> }>();
  return {
    find(eui) {
      const now = clock.now().getTime();
      const hit = cache.get(eui);
      if (hit && now - hit.at < ttlMs) return hit.answer;
      // The promise is cached, so a burst of datagrams makes one store call; a failure is not kept.
      const answer = gateways.findByEui(eui);
      const entry = { at: now, answer };
      cache.set(eui, entry);
      answer.catch(() => {
        if (cache.get(eui) === entry) cache.delete(eui);
      });
      // Entries of EUIs not heard for a while go, so garbage cannot grow the map.
      if (cache.size > 4096) {
        for (const [key, e] of cache) if (now - e.at >= ttlMs) cache.delete(key);
        if (cache.size > 4096) cache.clear();
      }
      return answer;
    },
    invalidate: (eui) => {
      cache.delete(eui.toUpperCase());
    },
  };
}
