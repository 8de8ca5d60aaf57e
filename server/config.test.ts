import { describe, expect, it } from 'vitest';
import { readConfig } from './config';

const env = (vars: Record<string, string> = {}) => readConfig({ NODE_ENV: 'test', ...vars });

describe('MOTE_NET_ID', () => {
  it('defaults to 000000 and is upper-cased', () => {
    expect(env().netId).toBe('000000');
    expect(env({ MOTE_NET_ID: '00001a' }).netId).toBe('00001A');
  });

  it.each(['13', '0000131', 'xyz123'])('refuses %s at start', (raw) => {
    expect(() => env({ MOTE_NET_ID: raw })).toThrow(/MOTE_NET_ID must be 6 hex digits/);
  });
});

describe('MOTE_TENANT_ID', () => {
  it('defaults to ttn', () => {
    expect(env().tenantId).toBe('ttn');
    expect(env({ MOTE_TENANT_ID: 'acme-corp' }).tenantId).toBe('acme-corp');
  });

  it.each(['TTN', 'a', 'ttn@x', 'a b'])('refuses %s at start', (raw) => {
    expect(() => env({ MOTE_TENANT_ID: raw })).toThrow(/MOTE_TENANT_ID must be an ID/);
  });
});

describe('MOTE_MQTT_MAX_SUBSCRIPTIONS', () => {
  it('defaults to 10 000', () => {
    expect(env().mqttMaxSubscriptions).toBe(10_000);
    expect(env({ MOTE_MQTT_MAX_SUBSCRIPTIONS: '50' }).mqttMaxSubscriptions).toBe(50);
    expect(() => env({ MOTE_MQTT_MAX_SUBSCRIPTIONS: '-1' })).toThrow(/non-negative integer/);
  });
});

describe('the edges of issue 17', () => {
  it('has small defaults', () => {
    const c = env();
    expect(c.http).toEqual({
      maxBodyBytes: 1024 * 1024,
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 60_000,
      maxConnections: 4096,
      maxConnectionsPerIp: 128,
    });
    expect(c.mqttPending).toEqual({ max: 1000, perIp: 64, connectTimeoutMs: 10_000 });
    expect(c.authThrottle.maxConcurrentHashes).toBe(2);
    expect(c.trustedProxies).toEqual([]);
  });

  it('reads each from its variable', () => {
    const c = env({
      MOTE_MAX_BODY_BYTES: '4096',
      MOTE_HTTP_HEADERS_TIMEOUT_S: '2',
      MOTE_HTTP_REQUEST_TIMEOUT_S: '5',
      MOTE_HTTP_MAX_CONNECTIONS: '100',
      MOTE_HTTP_MAX_CONNECTIONS_PER_IP: '10',
      MOTE_MQTT_MAX_PENDING: '200',
      MOTE_MQTT_MAX_PENDING_PER_IP: '8',
      MOTE_MQTT_CONNECT_TIMEOUT_S: '3',
      MOTE_LOGIN_MAX_CONCURRENT_HASHES: '1',
      MOTE_TRUSTED_PROXIES: '10.0.0.1, 192.168.0.0/16,::1,fd00::/8',
    });
    expect(c.http).toEqual({
      maxBodyBytes: 4096,
      headersTimeoutMs: 2000,
      requestTimeoutMs: 5000,
      maxConnections: 100,
      maxConnectionsPerIp: 10,
    });
    expect(c.mqttPending).toEqual({ max: 200, perIp: 8, connectTimeoutMs: 3000 });
    expect(c.authThrottle.maxConcurrentHashes).toBe(1);
    expect(c.trustedProxies).toEqual(['10.0.0.1', '192.168.0.0/16', '::1', 'fd00::/8']);
  });

  it.each([
    ['MOTE_MAX_BODY_BYTES', '0', /must be at least 1/],
    ['MOTE_HTTP_MAX_CONNECTIONS_PER_IP', 'x', /non-negative integer/],
    ['MOTE_MQTT_MAX_PENDING_PER_IP', '0', /must be at least 1/],
    ['MOTE_HTTP_HEADERS_TIMEOUT_S', '120', /must not exceed MOTE_HTTP_REQUEST_TIMEOUT_S/],
    ['MOTE_TRUSTED_PROXIES', 'proxy.example', /IP addresses or CIDR ranges, got "proxy.example"/],
    ['MOTE_TRUSTED_PROXIES', '10.0.0.0/33', /got "10.0.0.0\/33"/],
  ])('refuses %s=%s at start', (name, raw, message) => {
    expect(() => env({ [name]: raw })).toThrow(message);
  });
});

describe('REDIS_URL', () => {
  it('is unset by default (everything in-process) and taken as given', () => {
    expect(env().redisUrl).toBeUndefined();
    const db = { DATABASE_URL: 'postgres://db/mote' };
    expect(env({ ...db, REDIS_URL: 'redis://redis.internal:6379/2' }).redisUrl).toBe(
      'redis://redis.internal:6379/2',
    );
    expect(env({ ...db, REDIS_URL: 'rediss://:secret@redis.example:6380' }).redisUrl).toBe(
      'rediss://:secret@redis.example:6380',
    );
  });

  it.each(['localhost:6379', 'http://redis:6379', 'not a url'])('refuses %s at start', (raw) => {
    expect(() => env({ DATABASE_URL: 'postgres://db/mote', REDIS_URL: raw })).toThrow(
      /REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/,
    );
  });
});

describe('DATABASE_URL and REDIS_URL (issue 14)', () => {
  it('keeps SQLite when unset and takes a postgres:// URL', () => {
    expect(env().databaseUrl).toBeUndefined();
    const url = 'postgres://mote:secret@db:5432/mote';
    expect(env({ DATABASE_URL: url }).databaseUrl).toBe(url);
    expect(env({ DATABASE_URL: 'postgresql://db/mote' }).databaseUrl).toBe('postgresql://db/mote');
  });

  it.each(['mysql://db/mote', 'sqlite:///data/mote.sqlite', 'not a url'])('refuses %s at start', (raw) => {
    expect(() => env({ DATABASE_URL: raw })).toThrow(/DATABASE_URL must be/);
  });

  it('refuses REDIS_URL without DATABASE_URL: instances would not share their state', () => {
    expect(() => env({ REDIS_URL: 'redis://cache:6379' })).toThrow(/REDIS_URL needs DATABASE_URL/);
    expect(env({ REDIS_URL: 'redis://cache:6379', DATABASE_URL: 'postgres://db/mote' }).databaseUrl).toBe(
      'postgres://db/mote',
    );
  });
});
