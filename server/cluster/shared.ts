/**
 * What instances share (docs/scale-out.md), behind one seam for the composition root: with
 * `REDIS_URL`, the bus, the brute-force counts, credential revocations and simulator leases go
 * through Redis; without it, each is the in-process part Mote has always used, and nothing here
 * adds a hop.
 */
import type { ConnectFailureOptions, ConnectFailures } from '../auth/connectFailures';
import type { ConsoleTokens } from '../auth/consoleTokens';
import { createThrottle, type Throttle } from '../auth/throttle';
import type { EventBus } from '../bus/bus';
import { createRedisBus } from '../bus/redisBus';
import type { GatewayCluster } from '../gs/cluster';
import type { Logger } from '../log';
import { clusterConnectFailures, clusterLoginThrottle } from './clusterThrottle';
import { redisConsoleTokens } from './consoleTokens';
import { redisGatewayCluster } from './gateways';
import { type Leases, localLeases, redisLeases } from './leases';
import { type Notices, noNotices, redisNotices } from './notices';
import { connectRedis } from './redis';
import { type Revocations, revocations } from './revocations';

export interface SharedState {
  /** Undefined: the composition root's in-process bus. */
  bus?: EventBus;
  loginThrottle(maxFailures: number, windowMs: number): Throttle;
  /** Undefined: the MQTT server's own count. */
  connectFailures?: (o: ConnectFailureOptions) => ConnectFailures;
  revocations: Revocations;
  /** A fresh lease set per user (the simulator's), closed by that user. */
  leases(): Leases;
  /** Simulated devices started or stopped on another instance: the lease holder reloads them. */
  simChanges: Notices;
  /** Store writes and formatter saves, for what each instance caches (store/cacheNotices.ts). */
  cacheChanges: Notices;
  /** How often the simulator looks for devices started on other instances; 0 alone. */
  rescanMs: number;
  /** Semtech UDP merge windows and pull addresses across instances; undefined alone. */
  gateways?: GatewayCluster;
  /** Console MQTT tokens, redeemable on any instance; undefined alone (consoleAuth keeps them). */
  consoleTokens?: ConsoleTokens;
  close(): Promise<void>;
}

export function localShared(): SharedState {
  const revoked = revocations();
  return {
    loginThrottle: createThrottle,
    revocations: revoked,
    leases: localLeases,
    simChanges: noNotices(),
    cacheChanges: noNotices(),
    rescanMs: 0,
    close: () => revoked.close(),
  };
}

export async function redisShared(
  url: string,
  log: Logger,
  onListenerError: (e: unknown) => void,
): Promise<SharedState> {
  const link = await connectRedis(url, log);
  const bus = createRedisBus(link, log, onListenerError);
  const revoked = revocations(await redisNotices(link, 'revoked', log, { lostOnReconnect: true }));
  const simChanges = await redisNotices(link, 'sim', log);
  const cacheChanges = await redisNotices(link, 'changed', log, { lostOnReconnect: true });
  const gateways = await redisGatewayCluster(link, log);
  log.info({ redis: redactUrl(url) }, 'sharing bus and cluster state through Redis');
  return {
    bus,
    loginThrottle: (maxFailures, windowMs) => clusterLoginThrottle(link, maxFailures, windowMs, log),
    connectFailures: (o) => clusterConnectFailures(link, o, log),
    revocations: revoked,
    leases: () => redisLeases(link, log),
    simChanges,
    cacheChanges,
    rescanMs: 5000,
    gateways,
    consoleTokens: redisConsoleTokens(link),
    async close() {
      await gateways.close();
      await bus.close();
      await revoked.close();
      await simChanges.close();
      await cacheChanges.close();
      await link.close();
    },
  };
}

/** The URL's password stays out of the log. */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable REDIS_URL)';
  }
}
