/**
 * The Redis connections one instance holds when `REDIS_URL` is set (docs/scale-out.md): one for
 * commands and PUBLISH, one in subscriber mode (Redis allows nothing else on it). The bus, the
 * revocations, the throttles and the simulator leases share the two, so an instance opens two
 * connections whatever it shares.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from '../log';

export interface RedisLink {
  /** Commands and PUBLISH. Fails fast while Redis is away (no offline queue): see connect(). */
  cmd: Redis;
  /** SUBSCRIBE/PSUBSCRIBE only; subscriptions are renewed by ioredis on every reconnect. */
  sub: Redis;
  /** This instance, 16 random bytes: what it publishes carries it, so it can skip its own echo. */
  origin: Buffer;
  /** Key and channel prefix, `mote:` unless another is given (several clusters on one Redis). */
  prefix: string;
  close(): Promise<void>;
}

/**
 * Connects both and resolves once both are ready. While Redis is away commands reject at once
 * instead of queueing: a message the bus cannot hand on is dropped and counted, never held in
 * an unbounded queue; the throttles count locally meanwhile (clusterThrottle.ts). ioredis
 * reconnects on its own, every 100 ms growing to 1 s.
 */
export async function connectRedis(url: string, log: Logger, prefix = 'mote:'): Promise<RedisLink> {
  const options = {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    enableAutoPipelining: true,
    retryStrategy: (times: number) => Math.min(times * 100, 1000),
    lazyConnect: true,
  };
  const cmd = new Redis(url, { ...options, connectionName: 'mote-cmd' });
  // Subscribing is queued until connected, so a subscription made during an outage still happens.
  const sub = new Redis(url, {
    ...options,
    enableOfflineQueue: true,
    maxRetriesPerRequest: null,
    connectionName: 'mote-sub',
  });
  let down = false;
  let lastError: Error | undefined;
  for (const [name, conn] of [
    ['cmd', cmd],
    ['sub', sub],
  ] as const) {
    conn.on('error', (err: Error) => {
      lastError = err;
      if (!down) log.warn({ err: err.message, connection: name }, 'redis unreachable: reconnecting');
      down = true;
    });
    conn.on('ready', () => {
      if (down) log.info({ connection: name }, 'redis reconnected');
      down = false;
    });
  }
  // Unreachable at start: fail the start (a supervisor restarts it) rather than run half-shared.
  try {
    await Promise.all([cmd.connect(), sub.connect()]);
  } catch (err) {
    cmd.disconnect();
    sub.disconnect();
    const cause = lastError ?? err;
    throw new Error(
      `Redis at REDIS_URL is unreachable: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
  }
  return {
    cmd,
    sub,
    origin: randomBytes(16),
    prefix,
    async close() {
      await Promise.allSettled([cmd.quit(), sub.quit()]);
      cmd.disconnect();
      sub.disconnect();
    },
  };
}
