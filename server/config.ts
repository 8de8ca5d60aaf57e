import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { isValidId } from '../lib/ids';

/** Everything Mote reads from the environment, read once by the composition root. */
export interface Config {
  port: number;
  mqttPort: number;
  host: string;
  dataDir: string;
  adminPassword?: string;
  demo: boolean;
  /**
   * `DATABASE_URL` (`postgres://user:pass@host:5432/mote`): the PostgreSQL store instead of
   * SQLite under the data directory, so several instances share one state (docs/scale-out.md).
   */
  databaseUrl?: string;
  /**
   * `REDIS_URL` (`redis://host:6379`): several instances as one service — the event bus, brute-force
   * counts, credential revocations and simulator leases go through Redis (docs/scale-out.md).
   * Unset: all in-process.
   */
  redisUrl?: string;
  tls?: { certFile: string; keyFile: string; mqttsPort: number };
  /** Host name clients should use, for `mqtt-connection-info`. */
  publicHost: string;
  historyDays: number;
  historyMaxRows: number;
  queueCapacity: number;
  /**
   * Brute force (issue 7): wrong secrets per client IP within `windowMs` before that IP is
   * refused outright — console logins (429) and MQTT CONNECTs (0x03) counted apart.
   */
  authThrottle: {
    loginFailures: number;
    mqttFailures: number;
    windowMs: number;
    /**
     * `MOTE_LOGIN_MAX_CONCURRENT_HASHES` (2): password checks running at once, each scrypt with
     * 128 MiB; more wait in a short queue, and past it a login is told to retry (issue 17, item 7).
     */
    maxConcurrentHashes: number;
  };
  /**
   * The HTTP server's edges (issue 17, items 2 and 9): `MOTE_MAX_BODY_BYTES` (1 MiB) counted while
   * the body streams in, before Next or authentication sees it; `MOTE_HTTP_HEADERS_TIMEOUT_S` (10)
   * and `MOTE_HTTP_REQUEST_TIMEOUT_S` (60) for requests sent slowly; `MOTE_HTTP_MAX_CONNECTIONS`
   * (4 096) and `MOTE_HTTP_MAX_CONNECTIONS_PER_IP` (128) concurrent connections, so one address
   * cannot take the descriptors MQTT and `/healthz` need.
   */
  http: {
    maxBodyBytes: number;
    headersTimeoutMs: number;
    requestTimeoutMs: number;
    maxConnections: number;
    maxConnectionsPerIp: number;
  };
  /**
   * MQTT connections that have not finished CONNECT (issue 17, item 1): `MOTE_MQTT_MAX_PENDING`
   * (1 000) in all, `MOTE_MQTT_MAX_PENDING_PER_IP` (64) per source address, and
   * `MOTE_MQTT_CONNECT_TIMEOUT_S` (10) to send CONNECT — 2 s while half the cap is pending.
   */
  mqttPending: { max: number; perIp: number; connectTimeoutMs: number };
  /**
   * `MOTE_TRUSTED_PROXIES`: comma-separated addresses or CIDR ranges of reverse proxies. A
   * request from one of them is throttled and logged by the client address its
   * `X-Forwarded-For` names (the right-most address no trusted proxy added); from anyone else
   * the header is ignored.
   */
  trustedProxies: string[];
  dev: boolean;
  /**
   * `MOTE_KEK`: 64 hex digits, the key-encryption key for device keys at rest (issue 12).
   * Unset: `<dataDir>/kek`, generated on the first start (server/store/kekFile.ts).
   */
  kek?: string;
  /**
   * `MOTE_NET_ID`: 6 hex digits, the NetID the network layer puts in JoinAccepts and takes
   * DevAddrs from (issue 12). `000000` (LoRaWAN's experimental/private NetID) unless set.
   */
  netId: string;
  /**
   * The Semtech UDP packet-forwarder frontend (issue 13): `MOTE_UDP_PORT` (1700, the forwarders'
   * default; 0 picks a free one) on `MOTE_UDP_HOST` (like HOST). The protocol has no
   * authentication: bind it where only your gateways reach it.
   */
  udp: { port: number; host: string };
  /**
   * `MOTE_SIM_VIA_UDP=1`: every simulated device's frames go through the simulator's virtual
   * Semtech UDP gateway and the gateway server (server/sim/udpGateway.ts), not in-process.
   */
  simViaUdp: boolean;
  /**
   * `MOTE_TENANT_ID` (`ttn`): the tenant of TTS Cloud style MQTT usernames and topics,
   * `{app}@{tenant}` (docs/behaviour.md §3.2); another tenant is refused.
   */
  tenantId: string;
  /** `MOTE_MQTT_MAX_SUBSCRIPTIONS` (10 000): distinct filters per MQTT session. */
  mqttMaxSubscriptions: number;
  /**
   * `MOTE_FORMATTER_SUSPEND_AFTER` (5): runs in a row to the 100 ms deadline after which an
   * application's script is suspended until its formatters are saved again; 0 never suspends.
   */
  formatterSuspendAfter: number;
  /**
   * `MOTE_HISTORY_READS_PER_KEY` (2): storage and `events/related` answers streaming at once
   * per API key or console session; more are refused with 429 `too_many_history_reads`.
   */
  historyReadsPerKey: number;
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

/** A positive integer: 0 would turn a safety limit into an outage. */
function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const n = int(env, name, fallback);
  if (n === 0) throw new Error(`${name} must be at least 1`);
  return n;
}

function trustedProxies(env: NodeJS.ProcessEnv): string[] {
  const raw = env.MOTE_TRUSTED_PROXIES ?? '';
  const entries = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const entry of entries) {
    const [address = '', bits, ...rest] = entry.split('/');
    const family = isIP(address);
    const max = family === 6 ? 128 : 32;
    const prefixOk = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= max);
    if (family === 0 || !prefixOk || rest.length > 0)
      throw new Error(`MOTE_TRUSTED_PROXIES must list IP addresses or CIDR ranges, got "${entry}"`);
  }
  return entries;
}

/**
 * `DATABASE_URL` must name PostgreSQL. `REDIS_URL` alone is refused: instances sharing a bus
 * but each with its own SQLite file would show each other's traffic but not their devices,
 * queues or history.
 */
function databaseUrl(env: NodeJS.ProcessEnv): string | undefined {
  const raw = env.DATABASE_URL || undefined;
  if (raw === undefined) {
    if (env.REDIS_URL)
      throw new Error(
        'REDIS_URL needs DATABASE_URL: instances sharing a Redis bus must also share one PostgreSQL database (each would otherwise keep its own SQLite file)',
      );
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error('DATABASE_URL must be a URL like postgres://user:pass@host:5432/mote');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')
    throw new Error(
      `DATABASE_URL must be a postgres:// URL (like postgres://user:pass@host:5432/mote), got a ${url.protocol}// URL; unset it to use SQLite under MOTE_DATA_DIR`,
    );
  return raw;
}

function kek(env: NodeJS.ProcessEnv): string | undefined {
  const raw = env.MOTE_KEK;
  if (raw === undefined || raw === '') return undefined;
  if (!/^[0-9a-fA-F]{64}$/.test(raw)) throw new Error('MOTE_KEK must be 64 hex digits (a 256-bit key)');
  return raw;
}

function netId(env: NodeJS.ProcessEnv): string {
  const raw = env.MOTE_NET_ID;
  if (raw === undefined || raw === '') return '000000';
  if (!/^[0-9a-fA-F]{6}$/.test(raw)) throw new Error(`MOTE_NET_ID must be 6 hex digits, got "${raw}"`);
  return raw.toUpperCase();
}

function tenantId(env: NodeJS.ProcessEnv): string {
  const raw = env.MOTE_TENANT_ID;
  if (raw === undefined || raw === '') return 'ttn';
  if (!isValidId(raw)) throw new Error(`MOTE_TENANT_ID must be an ID (like ttn), got "${raw}"`);
  return raw;
}

function httpLimits(env: NodeJS.ProcessEnv): Config['http'] {
  const limits = {
    maxBodyBytes: positive(env, 'MOTE_MAX_BODY_BYTES', 1024 * 1024),
    headersTimeoutMs: positive(env, 'MOTE_HTTP_HEADERS_TIMEOUT_S', 10) * 1000,
    requestTimeoutMs: positive(env, 'MOTE_HTTP_REQUEST_TIMEOUT_S', 60) * 1000,
    maxConnections: positive(env, 'MOTE_HTTP_MAX_CONNECTIONS', 4096),
    maxConnectionsPerIp: positive(env, 'MOTE_HTTP_MAX_CONNECTIONS_PER_IP', 128),
  };
  // Node refuses a headers timeout longer than the request's.
  if (limits.headersTimeoutMs > limits.requestTimeoutMs)
    throw new Error('MOTE_HTTP_HEADERS_TIMEOUT_S must not exceed MOTE_HTTP_REQUEST_TIMEOUT_S');
  return limits;
}

/** `REDIS_URL`: checked at start, so a typo fails there and not at the first reconnect. */
function redisUrl(env: NodeJS.ProcessEnv): string | undefined {
  const raw = env.REDIS_URL;
  if (!raw) return undefined;
  let protocol: string;
  try {
    protocol = new URL(raw).protocol;
  } catch {
    protocol = '';
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:')
    throw new Error('REDIS_URL must be a redis:// or rediss:// URL, e.g. redis://localhost:6379');
  return raw;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const certFile = env.MOTE_TLS_CERT;
  const keyFile = env.MOTE_TLS_KEY;
  return {
    port: int(env, 'PORT', 3000),
    mqttPort: int(env, 'MQTT_PORT', 1883),
    host: env.HOST ?? '0.0.0.0',
    dataDir: resolve(env.MOTE_DATA_DIR ?? './data'),
    adminPassword: env.MOTE_ADMIN_PASSWORD || undefined,
    demo: (env.MOTE_DEMO ?? '1') !== '0',
    databaseUrl: databaseUrl(env),
    redisUrl: redisUrl(env),
    tls: certFile && keyFile ? { certFile, keyFile, mqttsPort: int(env, 'MQTTS_PORT', 8883) } : undefined,
    publicHost: env.MOTE_PUBLIC_HOST ?? 'localhost',
    historyDays: int(env, 'MOTE_HISTORY_DAYS', 7),
    historyMaxRows: int(env, 'MOTE_HISTORY_MAX_ROWS', 1_000_000),
    queueCapacity: int(env, 'MOTE_QUEUE_CAPACITY', 10_000),
    authThrottle: {
      loginFailures: int(env, 'MOTE_LOGIN_MAX_FAILURES', 5),
      mqttFailures: int(env, 'MOTE_MQTT_MAX_FAILURES', 10),
      windowMs: int(env, 'MOTE_AUTH_FAILURE_WINDOW_S', 60) * 1000,
      maxConcurrentHashes: positive(env, 'MOTE_LOGIN_MAX_CONCURRENT_HASHES', 2),
    },
    http: httpLimits(env),
    mqttPending: {
      max: positive(env, 'MOTE_MQTT_MAX_PENDING', 1000),
      perIp: positive(env, 'MOTE_MQTT_MAX_PENDING_PER_IP', 64),
      connectTimeoutMs: positive(env, 'MOTE_MQTT_CONNECT_TIMEOUT_S', 10) * 1000,
    },
    trustedProxies: trustedProxies(env),
    dev: env.NODE_ENV === 'development',
    kek: kek(env),
    netId: netId(env),
    udp: { port: int(env, 'MOTE_UDP_PORT', 1700), host: env.MOTE_UDP_HOST ?? env.HOST ?? '0.0.0.0' },
    simViaUdp: (env.MOTE_SIM_VIA_UDP ?? '0') !== '0' && env.MOTE_SIM_VIA_UDP !== '',
    tenantId: tenantId(env),
    mqttMaxSubscriptions: int(env, 'MOTE_MQTT_MAX_SUBSCRIPTIONS', 10_000),
    formatterSuspendAfter: int(env, 'MOTE_FORMATTER_SUSPEND_AFTER', 5),
    historyReadsPerKey: int(env, 'MOTE_HISTORY_READS_PER_KEY', 2),
  };
}
