/**
 * Where unspent console MQTT tokens wait for their one connect (consoleAuth.ts). Alone, a map
 * in this process; with `REDIS_URL`, Redis (server/cluster/consoleTokens.ts), because the
 * console's WebSocket may reach another instance than the HTTP request that issued its token.
 * Tokens are kept by their SHA-256 only: what is stored cannot be replayed.
 */
import { createHash } from 'node:crypto';

export interface ConsoleTokens {
  /** Keeps `token` for `sessionId` until `ttlMs` from now. */
  put(token: string, sessionId: string, ttlMs: number): Promise<void>;
  /** The token's session, once: the token is gone after this, whatever the answer. */
  take(token: string): Promise<string | undefined>;
}

export const tokenDigest = (token: string) => createHash('sha256').update(token).digest('hex');

export function localConsoleTokens(now: () => number): ConsoleTokens {
  const tokens = new Map<string, { sessionId: string; expiresAt: number }>();
  return {
    async put(token, sessionId, ttlMs) {
      const at = now();
      for (const [k, v] of tokens) if (v.expiresAt <= at) tokens.delete(k);
      tokens.set(tokenDigest(token), { sessionId, expiresAt: at + ttlMs });
    },
    async take(token) {
      const key = tokenDigest(token);
      const t = tokens.get(key);
      tokens.delete(key);
      return t && t.expiresAt > now() ? t.sessionId : undefined;
    },
  };
}
