/**
 * What every instance of a test cluster shares: one redis-server of its own, a database of the
 * run's PostgreSQL cluster, and one key-encryption key.
 */
import { randomBytes } from 'node:crypto';
import { suiteDatabase } from './postgres';
import { type RunningRedis, startRedis } from './redis';

export async function clusterEnv(): Promise<{ redis: RunningRedis; env: Record<string, string> }> {
  const redis = await startRedis();
  return {
    redis,
    env: {
      DATABASE_URL: await suiteDatabase(),
      REDIS_URL: redis.url,
      MOTE_KEK: randomBytes(32).toString('hex'),
    },
  };
}
