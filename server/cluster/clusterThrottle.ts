/**
 * The brute-force counts shared by every instance (docs/scale-out.md): console login failures per
 * client address (server/auth/throttle.ts) and MQTT CONNECT failures per (IP, username)
 * (server/auth/connectFailures.ts), as sorted sets of failure times in Redis, trimmed to the
 * window by the same script that counts, so concurrent attempts on several instances cannot all
 * slip under the limit. Each key expires with its window.
 *
 * Redis away: the instance counts locally until it is back (a per-instance limit for the outage,
 * rather than no limit or no logins).
 */
import { randomBytes } from 'node:crypto';
import {
  type ConnectFailureOptions,
  type ConnectFailures,
  createConnectFailures,
  failuresKept,
  refusalDelay,
} from '../auth/connectFailures';
import { createThrottle, type Throttle } from '../auth/throttle';
import type { Logger } from '../log';
import type { RedisLink } from './redis';
import { luaScript } from './script';

/** KEYS[1] set; ARGV now, window, max, count (1: take, 0: only ask), member → wait ms. */
const TAKE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1] - ARGV[2])
local n = redis.call('ZCARD', KEYS[1])
local max = tonumber(ARGV[3])
if max > 0 and n >= max then
  local blocking = redis.call('ZRANGE', KEYS[1], n - max, n - max, 'WITHSCORES')
  return ARGV[2] - (ARGV[1] - blocking[2])
end
if ARGV[4] == '1' then
  redis.call('ZADD', KEYS[1], ARGV[1], ARGV[5])
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`;

/** KEYS[1] set; ARGV now, window, member, kept → failures within the window, this one included. */
const FAIL = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1] - ARGV[2])
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[3])
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -1 - ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return redis.call('ZCARD', KEYS[1])
`;

const member = (now: number) => `${now}:${randomBytes(6).toString('base64url')}`;

function fallback(log: Logger, what: string) {
  let warned = false;
  return {
    ok() {
      warned = false;
    },
    failed(err: unknown) {
      if (!warned) log.warn({ err }, `${what}: Redis unreachable, counting on this instance meanwhile`);
      warned = true;
    },
  };
}

export function clusterLoginThrottle(
  link: RedisLink,
  maxFailures: number,
  windowMs: number,
  log: Logger,
): Throttle {
  const local = createThrottle(maxFailures, windowMs);
  const take = luaScript(link.cmd, TAKE);
  const state = fallback(log, 'login throttle');
  const key = (address: string) => `${link.prefix}throttle:login:${address}`;
  const run = async (address: string, now: number, count: boolean, onLocal: () => number) => {
    if (maxFailures <= 0) return 0;
    try {
      const wait = Number(
        await take([key(address)], [now, windowMs, maxFailures, count ? 1 : 0, member(now)]),
      );
      state.ok();
      return wait;
    } catch (err) {
      state.failed(err);
      return onLocal();
    }
  };
  return {
    retryAfter: (address, now = Date.now()) => run(address, now, false, () => local.retryAfter(address, now)),
    take: (address, now = Date.now()) => run(address, now, true, () => local.take(address, now)),
    async fail(address, now = Date.now()) {
      try {
        await link.cmd.multi().zadd(key(address), now, member(now)).pexpire(key(address), windowMs).exec();
      } catch (err) {
        state.failed(err);
        local.fail(address, now);
      }
    },
    async succeed(address) {
      local.succeed(address);
      await link.cmd.del(key(address)).catch(state.failed);
    },
  };
}

export function clusterConnectFailures(
  link: RedisLink,
  o: ConnectFailureOptions,
  log: Logger,
): ConnectFailures {
  const local = createConnectFailures(o);
  const fail = luaScript(link.cmd, FAIL);
  const state = fallback(log, 'mqtt connect failures');
  const kept = failuresKept(o);
  return {
    async fail(ip, username, now) {
      if (o.maxFailures <= 0) return 0;
      try {
        const key = `${link.prefix}throttle:mqtt:${ip}\u0000${username}`;
        const count = Number(await fail([key], [now, o.windowMs, member(now), kept]));
        state.ok();
        return refusalDelay(o, count);
      } catch (err) {
        state.failed(err);
        return local.fail(ip, username, now);
      }
    },
  };
}
