/**
 * Two Motes in one process sharing a real redis-server (REDIS_URL), each on its own SQLite dir:
 * what the cluster shares through Redis. Without a shared store (PostgreSQL, tested with it
 * later), an API key both instances know is written into both stores — the stand-in for the row
 * they would read from one database; what is under test is that a revocation on A reaches the
 * MQTT sessions on B, and that brute-force counts and simulator leases are per cluster.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret, parseApiKey } from '../server/auth/keyFormat';
import type { Principal } from '../server/auth/principal';
import { readConfig } from '../server/config';
import { silentLogger } from '../server/log';
import { createMote, type Mote } from '../server/mote';
import { type RunningRedis, startRedis } from './helpers/redis';

const PASSWORD = 'cluster-test-password';
const admin: Principal = { kind: 'admin', credentialId: 'test', username: 'admin' };
let redis: RunningRedis;
const dirs: string[] = [];
let a: Mote;
let b: Mote;
let mqttB = 0;

async function startInstance(url: string): Promise<Mote> {
  const dir = mkdtempSync(join(tmpdir(), 'mote-cluster-'));
  dirs.push(dir);
  const config = readConfig({
    NODE_ENV: 'test',
    MOTE_DATA_DIR: dir,
    MOTE_DEMO: '0',
    MOTE_ADMIN_PASSWORD: PASSWORD,
    MQTT_PORT: '0',
    MOTE_UDP_PORT: '0',
    HOST: '127.0.0.1',
    MOTE_LOGIN_MAX_FAILURES: '1',
    MOTE_MQTT_MAX_FAILURES: '2',
    REDIS_URL: url,
  });
  const mote = await createMote(config, {
    log: silentLogger,
    scripts: false,
    intervals: { historyFlushMs: 0, lastSeenFlushMs: 0, pruneMs: 0, simulatorTickMs: 0 },
  });
  await mote.store.applications.create('fleet', {}, new Date());
  return mote;
}

beforeAll(async () => {
  redis = await startRedis();
  a = await startInstance(redis.url);
  b = await startInstance(redis.url);
  await a.listen({ web: false });
  mqttB = (await b.listen({ web: false })).mqtt;
});

afterAll(async () => {
  await a?.close().catch(() => {});
  await b?.close();
  await redis?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 20));
}

function connect(port: number, username: string, password: string): Promise<MqttClient> {
  const client = mqtt.connect(`mqtt://127.0.0.1:${port}`, { username, password, reconnectPeriod: 0 });
  return new Promise((resolve, reject) => {
    client.once('connect', () => resolve(client));
    client.once('error', (err) => {
      client.end(true);
      reject(err);
    });
  });
}

const closed = (client: MqttClient) => new Promise<void>((resolve) => client.once('close', () => resolve()));

describe('cluster state through Redis', () => {
  it('closes the MQTT sessions on B of an API key deleted on A', async () => {
    const created = await b.apiKeys.create(admin, 'fleet', {
      name: 'integration',
      rights: ['RIGHT_APPLICATION_ALL'],
    });
    const secret = parseApiKey(created.key)?.secret ?? '';
    const { key: _shown, ...record } = created;
    await a.store.apiKeys.insert({ ...record, secret_hash: hashSecret(secret) });

    const client = await connect(mqttB, 'fleet', created.key);
    const gone = closed(client);
    await a.apiKeys.delete(admin, 'fleet', created.id);
    await gone;
    expect(client.connected).toBe(false);
    client.end(true);
  });

  it('closes the console MQTT session on B when its console session logs out on A', async () => {
    // The session as a login on B would store it (without a password check's seconds of scrypt).
    const sessionId = 'console-session-on-b';
    const at = new Date();
    const expires_at = new Date(at.getTime() + 3600_000).toISOString();
    await b.store.admin.createSession(sessionId, { username: 'admin', csrf_token: 'csrf', expires_at }, at);
    const token = await b.consoleAuth.issueToken(sessionId);
    const client = await connect(mqttB, 'fleet', token?.token ?? '');
    const gone = closed(client);
    await a.consoleAuth.logout(sessionId);
    await gone;
    client.end(true);
  });

  it('counts console login failures per cluster: a failure on A locks the address out on B', async () => {
    const address = '198.51.100.7';
    // MOTE_LOGIN_MAX_FAILURES is 1 here: one wrong password on A, and B refuses that address
    // before checking even the right one.
    await expect(a.consoleAuth.login('wrong', address)).rejects.toMatchObject({
      name: 'invalid_credentials',
    });
    await expect(b.consoleAuth.login(PASSWORD, address)).rejects.toMatchObject({ name: 'login_throttled' });
  });

  it('counts refused MQTT CONNECTs per cluster: failures on A hold back the next refusal on B', async () => {
    const portA = a.mqttAddress().public_address.split(':')[1];
    for (let i = 0; i < 2; i++) {
      await expect(connect(Number(portA), 'fleet', 'NNSXS.WRONG.KEY')).rejects.toThrow();
    }
    expect(b.mqtt.stats().throttled).toBe(0);
    await expect(connect(mqttB, 'fleet', 'NNSXS.WRONG.KEY')).rejects.toThrow();
    expect(b.mqtt.stats().throttled).toBe(1);
  });

  it('simulates a device on one instance at a time, and B takes it over when A stops', async () => {
    for (const m of [a, b]) {
      await m.store.devices.create(
        'fleet',
        'sensor',
        { dev_eui: '70B3D57ED0000001', join_eui: '70B3D57ED0000000' },
        new Date(),
      );
    }
    await a.sim.start('fleet', 'sensor', { intervalMs: 100 });
    // A asked first: once it has made a turn it holds the lease, and B's start only waits for it.
    await until(async () => {
      await a.sim.tick();
      return (await a.sim.status('fleet', 'sensor')).joined;
    });
    await b.sim.start('fleet', 'sensor', { intervalMs: 100 });
    for (let i = 0; i < 5; i++) {
      await b.sim.tick();
      await a.sim.tick();
    }
    expect(await b.sim.status('fleet', 'sensor')).toMatchObject({ running: true, joined: false, f_cnt: 0 });

    // A stops (its leases let go on close): B takes the device on its next renewal.
    await a.close();
    await until(async () => {
      await b.sim.tick();
      return (await b.sim.status('fleet', 'sensor')).joined;
    });
  });
});
