/**
 * Two Motes in one process sharing a real redis-server (REDIS_URL) and one PostgreSQL database
 * (DATABASE_URL), as a cluster's instances do. Under test is what goes through Redis: a revocation on A closes the
 * MQTT sessions on B; brute-force counts are per cluster; a simulated device runs on one instance
 * at a time, is taken over when its instance stops, and stops wherever it is stopped.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../server/auth/principal';
import { readConfig } from '../server/config';
import { silentLogger } from '../server/log';
import { createMote, type Mote } from '../server/mote';
import { suiteDatabase } from './helpers/postgres';
import { type RunningRedis, startRedis } from './helpers/redis';

const admin: Principal = { kind: 'admin', credentialId: 'test', username: 'admin' };
const dir = mkdtempSync(join(tmpdir(), 'mote-cluster-'));
let redis: RunningRedis;
let databaseUrl = '';
let a: Mote;
let b: Mote;
let mqttA = 0;
let mqttB = 0;

async function startInstance(): Promise<Mote> {
  const config = readConfig({
    NODE_ENV: 'test',
    MOTE_DATA_DIR: dir,
    MOTE_DEMO: '0',
    MQTT_PORT: '0',
    MOTE_UDP_PORT: '0',
    HOST: '127.0.0.1',
    MOTE_LOGIN_MAX_FAILURES: '1',
    MOTE_MQTT_MAX_FAILURES: '2',
    REDIS_URL: redis.url,
    DATABASE_URL: databaseUrl,
  });
  // No MOTE_ADMIN_PASSWORD: the first start generates one, later starts find it (no scrypt each).
  return createMote(config, {
    log: silentLogger,
    scripts: false,
    intervals: { historyFlushMs: 0, lastSeenFlushMs: 0, pruneMs: 0, simulatorTickMs: 0 },
  });
}

beforeAll(async () => {
  redis = await startRedis();
  databaseUrl = await suiteDatabase();
  a = await startInstance();
  b = await startInstance();
  await a.store.applications.create('fleet', {}, new Date());
  mqttA = (await a.listen({ web: false })).mqtt;
  mqttB = (await b.listen({ web: false })).mqtt;
});

afterAll(async () => {
  await a?.close();
  await b?.close();
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
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
    const client = await connect(mqttB, 'fleet', created.key);
    const gone = closed(client);
    await a.apiKeys.delete(admin, 'fleet', created.id);
    await gone;
    client.end(true);
  });

  it('closes the console MQTT session on B when its console session logs out on A', async () => {
    // The session as a login stores it (without a password check's seconds of scrypt).
    const sessionId = 'console-session';
    const at = new Date();
    const expires_at = new Date(at.getTime() + 3600_000).toISOString();
    await a.store.admin.createSession(sessionId, { username: 'admin', csrf_token: 'csrf', expires_at }, at);
    const token = await b.consoleAuth.issueToken(sessionId);
    const client = await connect(mqttB, 'fleet', token?.token ?? '');
    const gone = closed(client);
    await a.consoleAuth.logout(sessionId);
    await gone;
    client.end(true);
  });

  it('takes a console token issued on A at B, once in the whole cluster', async () => {
    // The console's page may come from A while its WebSocket reaches B (no sticky sessions).
    const sessionId = 'console-session-2';
    const at = new Date();
    const expires_at = new Date(at.getTime() + 3600_000).toISOString();
    await a.store.admin.createSession(sessionId, { username: 'admin', csrf_token: 'csrf', expires_at }, at);
    const token = (await a.consoleAuth.issueToken(sessionId))?.token ?? '';
    const client = await connect(mqttB, 'fleet', token);
    client.end(true);
    // Spent: neither instance takes it again.
    await expect(connect(mqttA, 'fleet', token)).rejects.toThrow();
    await expect(connect(mqttB, 'fleet', token)).rejects.toThrow();
  });

  it('counts console login failures per cluster: a failure on A locks the address out on B', async () => {
    const address = '198.51.100.7';
    // MOTE_LOGIN_MAX_FAILURES is 1 here: one wrong password on A, and B refuses that address
    // before checking the password at all.
    await expect(a.consoleAuth.login('wrong', address)).rejects.toMatchObject({
      name: 'invalid_credentials',
    });
    await expect(b.consoleAuth.login('any', address)).rejects.toMatchObject({ name: 'login_throttled' });
  });

  it('counts refused MQTT CONNECTs per cluster: failures on A hold back the next refusal on B', async () => {
    for (let i = 0; i < 2; i++) {
      await expect(connect(mqttA, 'fleet', 'NNSXS.WRONG.KEY')).rejects.toThrow();
    }
    expect(b.mqtt.stats().throttled).toBe(0);
    await expect(connect(mqttB, 'fleet', 'NNSXS.WRONG.KEY')).rejects.toThrow();
    expect(b.mqtt.stats().throttled).toBe(1);
  });

  it('simulates a device on one instance at a time; B takes it over when A stops; a stop anywhere stops it', async () => {
    await a.store.devices.create(
      'fleet',
      'sensor',
      { dev_eui: '70B3D57ED0000001', join_eui: '70B3D57ED0000000' },
      new Date(),
    );
    // Everything the device sends, heard on B: its own frames, and A's through Redis.
    const heard: Array<{ event: string; fCnt: number }> = [];
    const stopListening = b.bus.subscribe('fleet', (m) => {
      if (m.deviceId !== 'sensor') return;
      const body = JSON.parse(m.payload.toString()) as { uplink_message?: { f_cnt?: number } };
      heard.push({ event: m.event, fCnt: body.uplink_message?.f_cnt ?? 0 });
    });
    await a.sim.start('fleet', 'sensor', { intervalMs: 100 });
    // A asked first: once it has made a turn it holds the lease. B hears of the start and waits.
    await until(async () => {
      await a.sim.tick();
      return (await a.sim.status('fleet', 'sensor')).joined;
    });
    const frames = async () =>
      (await b.store.devices.getSettings<{ simulator: { f_cnt: number } }>('fleet', 'sensor'))?.simulator
        .f_cnt ?? 0;
    await until(async () => {
      await a.sim.tick();
      await b.sim.tick();
      return (await frames()) >= 2;
    });

    // A stops (its leases let go on close): B takes the device over, from the FCnt A saved.
    const before = await frames();
    await a.close();
    await until(async () => {
      await b.sim.tick();
      return (await frames()) > before + 1;
    });

    // A back: the device is B's now; stopping it on A stops it on B.
    a = await startInstance();
    await a.sim.stop('fleet', 'sensor');
    await until(async () => !(await b.sim.status('fleet', 'sensor')).running);
    stopListening();

    // Never two at once: one join, then FCnts that only rise, with no gap at the takeover.
    expect(heard.filter((h) => h.event === 'join')).toHaveLength(1);
    const fCnts = heard.filter((h) => h.event === 'up').map((h) => h.fCnt);
    expect(fCnts).toEqual([...fCnts.keys()]);
  });
});
