/**
 * Who runs what, one instance at a time: a simulated device is simulated by the instance holding
 * its lease (docs/scale-out.md). With Redis a lease is a key `SET NX PX` to this instance's
 * origin, renewed every third of its TTL for every lease held or wanted in one script call; an
 * instance that dies stops renewing, and another takes the lease within the TTL plus one renewal
 * period (6 s + 2 s by default, under the 10 s the issue asks). `holds()` answers from memory,
 * so the simulator's tick costs no round trip.
 *
 * An instance believes it holds a lease until the time it sent the last renewal plus the TTL less
 * a margin, which is always before Redis lets the key go: it stops before anyone else starts. With
 * Redis away it renews nothing, so it stops when that belief runs out.
 */
import type { Logger } from '../log';
import type { RedisLink } from './redis';
import { luaScript } from './script';

export interface Leases {
  /** Whether this instance may run `name` now. */
  holds(name: string): boolean;
  /** Takes `name` when it is free, and keeps it until release(). */
  want(name: string): void;
  release(name: string): void;
  /** Called when a lease comes to this instance (a takeover reads what the last holder saved). */
  onAcquired(listener: (name: string) => void): void;
  /** Releases every lease held, so others take over at once. */
  close(): Promise<void>;
}

/** One instance: it holds whatever it wants. */
export function localLeases(): Leases {
  return {
    holds: () => true,
    want: () => {},
    release: () => {},
    onAcquired: () => {},
    close: async () => {},
  };
}

/** KEYS the leases; ARGV origin, ttl → 1 held (taken or renewed) / 0 another holds it, per key. */
const RENEW = `
local out = {}
for i, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then
    redis.call('PEXPIRE', key, ARGV[2])
    out[i] = 1
  elseif redis.call('SET', key, ARGV[1], 'NX', 'PX', ARGV[2]) then
    out[i] = 1
  else
    out[i] = 0
  end
end
return out
`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

export interface RedisLeaseOptions {
  ttlMs?: number;
  /** Keys per script call: a large fleet is renewed in slices, so Redis is never held long. */
  batch?: number;
}

export function redisLeases(link: RedisLink, log: Logger, options: RedisLeaseOptions = {}): Leases {
  const ttlMs = options.ttlMs ?? 6000;
  const batch = options.batch ?? 500;
  const margin = Math.max(50, ttlMs / 10);
  const me = link.origin.toString('hex');
  const renew = luaScript(link.cmd, RENEW);
  const releaseScript = luaScript(link.cmd, RELEASE);
  const key = (name: string) => `${link.prefix}lease:${name}`;
  const wanted = new Set<string>();
  /** Held leases → until when this instance may act on each. */
  const held = new Map<string, number>();
  const listeners: Array<(name: string) => void> = [];
  let closed = false;
  let round: Promise<void> = Promise.resolve();
  let warned = false;

  async function renewAll(): Promise<void> {
    const names = [...wanted];
    for (let i = 0; i < names.length; i += batch) {
      const slice = names.slice(i, i + batch);
      const sent = Date.now();
      let answers: unknown;
      try {
        answers = await renew(slice.map(key), [me, ttlMs]);
        warned = false;
      } catch (err) {
        if (!warned) log.warn({ err }, 'leases: Redis unreachable; held leases run out unrenewed');
        warned = true;
        return;
      }
      slice.forEach((name, j) => {
        if (!wanted.has(name)) return;
        if ((answers as number[])[j] !== 1) {
          held.delete(name);
          return;
        }
        const first = !held.has(name) || (held.get(name) ?? 0) <= Date.now();
        held.set(name, sent + ttlMs - margin);
        if (first) for (const l of listeners) l(name);
      });
    }
  }
  const tick = () => {
    round = round.then(renewAll);
  };
  const timer = setInterval(tick, Math.max(50, Math.floor(ttlMs / 3)));
  timer.unref();

  return {
    holds(name) {
      return (held.get(name) ?? 0) > Date.now();
    },
    want(name) {
      if (closed || wanted.has(name)) return;
      wanted.add(name);
      tick();
    },
    release(name) {
      wanted.delete(name);
      if (held.delete(name)) releaseScript([key(name)], [me]).catch(() => {});
    },
    onAcquired(listener) {
      listeners.push(listener);
    },
    async close() {
      closed = true;
      clearInterval(timer);
      await round;
      const names = [...held.keys()];
      held.clear();
      wanted.clear();
      await Promise.allSettled(names.map((name) => releaseScript([key(name)], [me])));
    },
  };
}
