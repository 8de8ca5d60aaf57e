/**
 * Console MQTT tokens across instances: `SET … PX` when issued, `GETDEL` when redeemed, so a
 * token is spent once in the whole cluster. Redis away: issuing fails (the console retries),
 * and so does a connect with a token — the console's session stays, its live view reconnects.
 */
import { type ConsoleTokens, tokenDigest } from '../auth/consoleTokens';
import type { RedisLink } from './redis';

export function redisConsoleTokens(link: RedisLink): ConsoleTokens {
  const key = (token: string) => `${link.prefix}console-token:${tokenDigest(token)}`;
  return {
    async put(token, sessionId, ttlMs) {
      await link.cmd.set(key(token), sessionId, 'PX', ttlMs);
    },
    async take(token) {
      return (await link.cmd.getdel(key(token))) ?? undefined;
    },
  };
}
