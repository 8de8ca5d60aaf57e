/**
 * A real Mote on PostgreSQL (DATABASE_URL, issue 14), end to end: what a user does over HTTP
 * and MQTT lands in PostgreSQL — applications, devices, keys, history, the downlink queue.
 * (Two store instances sharing one database: server/store/postgres.test.ts; several whole
 * instances: the cluster suite.) Then the database goes away: writes
 * answer 503 `storage_unavailable`, as on a broken disk, and succeed again once it is back.
 * The store's verbs on PostgreSQL are tested beside them (server/store/*.test.ts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, type Caller, call } from './helpers/api';
import { type RunningMote, removeDataDir, startMote } from './helpers/mote';
import { createDatabase, ownPgCluster, type PgCluster } from './helpers/postgres';

const APP = '/api/v3/applications';
const DEV = '/api/v3/as/applications/app1/devices/dev1';

let cluster: PgCluster;
let a: RunningMote;
let admin: Caller;

beforeAll(async () => {
  // A cluster of the suite's own: the last test stops it.
  cluster = await ownPgCluster();
  a = await startMote({ env: { DATABASE_URL: await createDatabase(cluster.adminUrl) } });
  admin = await adminSession(a);
});

afterAll(async () => {
  await a?.stop();
  if (a) removeDataDir(a);
  cluster?.destroy();
});

describe('Mote on PostgreSQL', () => {
  it('stores what the API creates, carries an uplink to MQTT and history, and queues downlinks', async () => {
    expect(
      (await call(a, admin, 'POST', APP, { application: { ids: { application_id: 'app1' } } })).status,
    ).toBe(200);
    const device = await call(a, admin, 'POST', `${APP}/app1/devices`, {
      end_device: { ids: { device_id: 'dev1', dev_eui: '70B3D57ED0000001' } },
    });
    expect(device.status, JSON.stringify(device.body)).toBe(200);
    const key = await call<{ key: string }>(a, admin, 'POST', `${APP}/app1/api-keys`, {
      name: 'pg',
      rights: ['RIGHT_APPLICATION_ALL'],
    });
    expect(key.status).toBe(200);

    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${a.mqttPort}`, {
      username: 'app1',
      password: key.body.key,
      reconnectPeriod: 0,
    });
    try {
      await client.subscribeAsync('v3/app1/devices/dev1/up');
      const got = new Promise<Record<string, unknown>>((resolve) =>
        client.once('message', (_topic, payload) => resolve(JSON.parse(payload.toString()))),
      );
      const sim = await call(a, admin, 'POST', `${DEV}/up/simulate`, {
        uplink_message: { f_port: 7, frm_payload: 'AQID' },
      });
      expect(sim.status).toBe(200);
      expect(await got).toMatchObject({ uplink_message: { f_port: 7, frm_payload: 'AQID' } });
    } finally {
      await client.endAsync();
    }

    // History is written behind: read until it is there (the test's timeout bounds it).
    const byKey = { key: key.body.key };
    let stored = '';
    while (!stored.includes('"frm_payload":"AQID"')) {
      const r = await fetch(`${a.url}/api/v3/as/applications/app1/packages/storage/uplink_message`, {
        headers: { authorization: `Bearer ${byKey.key}` },
      });
      stored = await r.text();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    const push = await call(a, byKey, 'POST', `${DEV}/down/push`, {
      downlinks: [
        { f_port: 2, frm_payload: 'AQ==' },
        { f_port: 3, frm_payload: 'Ag==' },
      ],
    });
    expect(push.status, JSON.stringify(push.body)).toBe(200);
    const queue = await call<{ downlinks: { f_port: number }[] }>(a, byKey, 'GET', `${DEV}/down`);
    expect(queue.body.downlinks.map((d) => d.f_port)).toEqual([2, 3]);
    // All of it in PostgreSQL: no SQLite file beside the key-encryption key.
    expect(existsSync(join(a.dataDir, 'mote.sqlite'))).toBe(false);
  });

  it('answers writes with 503 storage_unavailable while PostgreSQL is down, and recovers', async () => {
    cluster.stop();
    const down = await call<{ details: { name: string }[] }>(a, admin, 'POST', APP, {
      application: { ids: { application_id: 'app3' } },
    });
    expect(down.status, JSON.stringify(down.body)).toBe(503);
    expect(down.body.details[0]?.name).toBe('storage_unavailable');
    expect((await fetch(`${a.url}/healthz`)).status).toBe(200);
    cluster.start();
    const up = await call(a, admin, 'POST', APP, { application: { ids: { application_id: 'app3' } } });
    expect(up.status, JSON.stringify(up.body)).toBe(200);
  });
});
