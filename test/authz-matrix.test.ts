/**
 * The authorization matrix (issue 7): every application right × every HTTP endpoint and MQTT
 * action, for a key of the application, a key of another application, an expired, a deleted, a
 * wrong-secret and a malformed key, no key, and the console's admin. Each cell's expected answer
 * comes from the declared tables in helpers/authz.ts, and each refused mutation is checked to
 * have changed nothing (the SQLite rows, and no message published on the application's topics).
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { IConnackPacket, IPublishPacket, ISubackPacket } from 'mqtt-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPLICATION_RIGHTS } from '../lib/rights';
import { adminSession, call } from './helpers/api';
import {
  AUTHZ_GATEWAY,
  ENDPOINTS,
  type Endpoint,
  SPEC_RIGHTS,
  type SpecRight,
  servedRoutes,
  specExpand,
  UNGUARDED,
} from './helpers/authz';
import { closeReason } from './helpers/closed';
import { type RunningMote, removeDataDir, startMote } from './helpers/mote';
import { connectPacket, type RawClient, rawClient } from './helpers/mqtt';
import { ID, UdpGateway } from './helpers/udpGateway';

const APP = 'authz-a';
const OTHER = 'authz-b';
const DEV = 'dev1';

type Principal =
  | { name: string; kind: 'own'; right: SpecRight; key: string }
  | { name: string; kind: 'other'; key: string }
  | { name: string; kind: 'invalid'; key?: string }
  | { name: string; kind: 'admin' };

let mote: RunningMote;
let admin: { cookie: string; csrf: string };
let principals: Principal[];
let db: Database.Database;
let watcher: RawClient;
let forwarder: UdpGateway | undefined;
let n = 0;

interface Answer {
  status: number;
  text: string;
}

async function request(
  who: Principal | { key?: string; admin?: boolean },
  method: string,
  path: string,
  body?: unknown,
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if ('kind' in who && who.kind === 'admin') {
    headers.cookie = admin.cookie;
    headers['x-csrf-token'] = admin.csrf;
  } else if ('key' in who && who.key !== undefined) headers.authorization = `Bearer ${who.key}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${mote.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

async function createKey(app: string, rights: string[], extra: Record<string, unknown> = {}) {
  const r = await call<{ key: string; id: string }>(
    mote,
    admin,
    'POST',
    `/api/v3/applications/${app}/api-keys`,
    {
      name: 'authz',
      rights,
      ...extra,
    },
  );
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}

async function createApp(id: string) {
  const r = await call(mote, admin, 'POST', '/api/v3/applications', {
    application: { ids: { application_id: id } },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

let devices = 0;
/** Each device its own DevEUI: a JoinEUI + DevEUI pair belongs to one device (issue 16). */
async function createDevice(app: string, id: string) {
  const devEui = `70B3D57ED${(devices++).toString(16).toUpperCase().padStart(7, '0')}`;
  const r = await call(mote, admin, 'POST', `/api/v3/applications/${app}/devices`, {
    end_device: { ids: { device_id: id, dev_eui: devEui, join_eui: '0000000000000000' } },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

async function createGateway(id: string, eui: string) {
  const r = await call(mote, admin, 'POST', '/api/v3/gateways', {
    gateway: { ids: { gateway_id: id, eui }, frequency_plan_id: 'EU_863_870' },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

/** What the declared tables say a principal gets from an endpoint. */
function expectedStatus(ep: Endpoint, p: Principal): number {
  if (p.kind === 'invalid') return 401;
  if (p.kind === 'admin') return ep.ok;
  if (ep.need.kind === 'admin') return 403;
  if (ep.need.kind === 'any') return ep.ok;
  if (p.kind === 'other' && ep.need.scope !== 'caller') return 403;
  const held = specExpand(p.kind === 'own' ? [p.right] : ['RIGHT_APPLICATION_ALL']);
  return ep.need.rights.every((r) => held.has(r)) ? ep.ok : 403;
}

/**
 * Everything a request could change, straight from the SQLite file: history and the simulator
 * state of devices other than the cell's own fresh one aside (those move on their own).
 */
function fingerprint(freshDevice: string): string {
  const rows = (sql: string, ...params: string[]) => JSON.stringify(db.prepare(sql).all(...params));
  return [
    rows('SELECT * FROM applications ORDER BY application_id'),
    // A running simulated device rewrites its DevAddr, session and simulator settings as it goes.
    rows(
      'SELECT application_id, device_id, name, description, dev_eui, join_eui FROM end_devices ORDER BY 1, 2',
    ),
    rows('SELECT * FROM end_devices WHERE device_id = ?', freshDevice),
    rows('SELECT * FROM api_keys ORDER BY id'),
    rows('SELECT * FROM downlink_queue ORDER BY 1, 2, 3'),
    rows('SELECT * FROM gateways ORDER BY gateway_id'),
  ].join('\n');
}

/** The rows that differ between two fingerprints, for the failure message. */
const changedLines = (before: string, after: string) => {
  const was = before
    .split('\n')
    .map((l) => new Set((JSON.parse(l) as unknown[]).map((r) => JSON.stringify(r))));
  return after
    .split('\n')
    .flatMap((l, i) =>
      // A line with no counterpart before: all its rows are new.
      (JSON.parse(l) as unknown[]).map((r) => JSON.stringify(r)).filter((r) => !was[i]?.has(r)),
    )
    .join(' | ');
};

let watched = 0;
/** Topics published for DEV since the last call: the watcher pings, so none is still in flight. */
async function publishedSince(): Promise<string[]> {
  watcher.send({ cmd: 'pingreq' });
  await watcher.next('pingresp');
  const fresh = watcher.packets.slice(watched);
  watched = watcher.packets.length;
  return fresh.filter((p): p is IPublishPacket => p.cmd === 'publish').map((p) => p.topic);
}

async function mqttClient(): Promise<RawClient> {
  return rawClient(mote.mqttPort);
}

beforeAll(async () => {
  // The matrix measures authorization, not brute-force throttling: allow its many refusals.
  mote = await startMote({ env: { MOTE_MQTT_MAX_FAILURES: '100000' } });
  admin = await adminSession(mote);
  await createApp(APP);
  await createApp(OTHER);
  await createDevice(APP, DEV);
  await createDevice(OTHER, DEV);
  await createGateway(AUTHZ_GATEWAY.id, AUTHZ_GATEWAY.eui);
  forwarder = await UdpGateway.start(AUTHZ_GATEWAY.eui, { host: '127.0.0.1', port: mote.udpPort });
  forwarder.pull();
  await forwarder.waitFor((d) => d.id === ID.PULL_ACK);
  const stats = `/api/v3/gs/gateways/${AUTHZ_GATEWAY.id}/connection/stats`;
  while ((await request({ kind: 'admin', name: 'admin' }, 'GET', stats)).status !== 200)
    await new Promise((r) => setTimeout(r, 20));

  const own: Principal[] = [];
  for (const right of SPEC_RIGHTS) {
    own.push({
      name: `own ${right.replace('RIGHT_APPLICATION_', '')}`,
      kind: 'own',
      right,
      key: (await createKey(APP, [right])).key,
    });
  }
  const other = (await createKey(OTHER, ['RIGHT_APPLICATION_ALL'])).key;
  const doomed = await createKey(APP, ['RIGHT_APPLICATION_ALL']);
  expect(
    (await call(mote, admin, 'DELETE', `/api/v3/applications/${APP}/api-keys/${doomed.id}`)).status,
  ).toBe(200);
  const live = await createKey(APP, ['RIGHT_APPLICATION_ALL']);
  const expiresAt = Date.now() + 1500;
  const expiring = await createKey(APP, ['RIGHT_APPLICATION_ALL'], {
    expires_at: new Date(expiresAt).toISOString(),
  });
  principals = [
    ...own,
    { name: 'other application (ALL)', kind: 'other', key: other },
    { name: 'expired (ALL)', kind: 'invalid', key: expiring.key },
    { name: 'deleted (ALL)', kind: 'invalid', key: doomed.key },
    { name: 'wrong secret', kind: 'invalid', key: `NNSXS.${live.id}.${'A'.repeat(52)}` },
    { name: 'malformed', kind: 'invalid', key: 'NNSXS.NOT-A-KEY' },
    { name: 'no key', kind: 'invalid' },
    { name: 'console session', kind: 'admin' },
  ];

  // A stored message carrying `authz:seed`, for GET /events/related.
  const seeded = await call(mote, admin, 'POST', `/api/v3/as/applications/${APP}/devices/${DEV}/down/push`, {
    downlinks: [{ f_port: 1, frm_payload: 'AQ==', correlation_ids: ['authz:seed'] }],
  });
  expect(seeded.status).toBe(200);
  for (;;) {
    const r = await request(
      { kind: 'admin', name: 'admin' },
      'GET',
      '/api/v3/events/related?correlation_id=authz:seed',
    );
    if ((JSON.parse(r.text) as { events: unknown[] }).events.length > 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }

  db = new Database(join(mote.dataDir, 'mote.sqlite'), { readonly: true, fileMustExist: true });
  const token = await call<{ token: string }>(mote, admin, 'POST', '/api/auth/console-token');
  watcher = await mqttClient();
  watcher.send(connectPacket(APP, token.body.token, 'authz-watcher'));
  expect(((await watcher.next('connack')) as IConnackPacket).returnCode).toBe(0);
  watcher.send({
    cmd: 'subscribe',
    messageId: 1,
    subscriptions: [{ topic: `v3/${APP}/devices/${DEV}/#`, qos: 0 }],
  });
  expect(((await watcher.next('suback')) as ISubackPacket).granted).toEqual([0]);
  await publishedSince();
  // The expired key must be past its expiry before the matrix runs.
  while (Date.now() <= expiresAt + 100) await new Promise((r) => setTimeout(r, 100));
});

afterAll(async () => {
  await forwarder?.close();
  watcher?.socket.destroy();
  db?.close();
  await mote?.stop();
  if (mote) removeDataDir(mote);
});

describe('declared tables', () => {
  it('list every right lib/rights.ts knows, and every route the API serves', () => {
    expect([...APPLICATION_RIGHTS].sort()).toEqual([...SPEC_RIGHTS].sort());
    const declared = [
      ...ENDPOINTS.map((e) => `${e.method} ${e.route}`),
      ...UNGUARDED.map((u) => `${u.method} ${u.route}`),
    ];
    expect([...new Set(declared)].sort()).toEqual(servedRoutes(process.cwd()));
  });
});

describe('HTTP: every endpoint × every principal', () => {
  // ~1 000 requests and their before/after reads: a bound for a busy machine, not a timing.
  it('answers each cell as the declared table says, and a refused cell changes nothing', {
    timeout: 300_000,
  }, async () => {
    const tally = { cells: 0, allowed: 0, forbidden: 0, unauthenticated: 0, unchangedChecks: 0 };
    const failures: string[] = [];
    for (const ep of ENDPOINTS) {
      for (const p of principals) {
        const cell = `${ep.method} ${ep.path} as ${p.name}`;
        const vars = { app: APP, dev: DEV, key: '', fresh: '' };
        let who: Principal = p;
        const i = n++;
        if (ep.fresh === 'application') {
          vars.app = `gone-${i}`;
          await createApp(vars.app);
          if (p.kind === 'own') who = { ...p, key: (await createKey(vars.app, [p.right])).key };
        } else if (ep.fresh === 'device') {
          vars.fresh = `gone-${i}`;
          await createDevice(APP, vars.fresh);
        } else if (ep.fresh === 'gateway') {
          vars.fresh = `gone-gtw-${i}`;
          await createGateway(vars.fresh, `BB${i.toString(16).padStart(14, '0')}`);
        } else if (ep.fresh === 'key' || ep.path.includes('{key}')) {
          const target = await createKey(APP, ['RIGHT_APPLICATION_INFO']);
          vars.fresh = target.id;
          vars.key = target.id;
        }
        const path = ep.path.replace(/\{(\w+)\}/g, (_, v: keyof typeof vars) => vars[v]);
        const want = expectedStatus(ep, p);
        const mutating = ep.method !== 'GET';
        const before = mutating && want !== ep.ok ? fingerprint(vars.fresh) : undefined;
        if (before !== undefined) await publishedSince();
        const got = await request(who, ep.method, path, ep.body?.(i));
        tally.cells++;
        if (got.status !== want)
          failures.push(`${cell}: expected ${want}, got ${got.status} ${got.text.slice(0, 200)}`);
        if (want === ep.ok) tally.allowed++;
        else if (want === 403) tally.forbidden++;
        else tally.unauthenticated++;
        if (before !== undefined) {
          tally.unchangedChecks++;
          const after = fingerprint(vars.fresh);
          if (after !== before)
            failures.push(`${cell}: refused, yet the database changed: ${changedLines(before, after)}`);
          const published = await publishedSince();
          if (published.length > 0) failures.push(`${cell}: refused, yet published ${published.join(', ')}`);
        }
        if (got.status === ep.ok) checkScope(ep, p, got, failures, cell);
      }
    }
    console.log(
      `authz matrix (HTTP): ${ENDPOINTS.length} endpoints × ${principals.length} principals = ${tally.cells} cells asserted — ` +
        `${tally.allowed} allowed, ${tally.forbidden} forbidden (403), ${tally.unauthenticated} unauthenticated (401); ` +
        `${tally.unchangedChecks} refused mutations checked unchanged; ${failures.length} wrong`,
    );
    expect(failures).toEqual([]);
  });
});

/** Endpoints without an application in the path answer with what the caller may see only. */
function checkScope(ep: Endpoint, p: Principal, got: Answer, failures: string[], cell: string) {
  if (ep.method === 'GET' && ep.path === '/api/v3/applications') {
    const ids = (
      JSON.parse(got.text) as { applications: { ids: { application_id: string } }[] }
    ).applications.map((a) => a.ids.application_id);
    const want = p.kind === 'own' ? [APP] : p.kind === 'other' ? [OTHER] : undefined;
    if (want && JSON.stringify(ids) !== JSON.stringify(want))
      failures.push(`${cell}: listed ${ids.join(', ')}`);
    if (!want && !(ids.includes(APP) && ids.includes(OTHER)))
      failures.push(`${cell}: admin listed ${ids.join(', ')}`);
  }
  if (ep.path.startsWith('/api/v3/events/related')) {
    const events = (JSON.parse(got.text) as { events: unknown[] }).events;
    const shouldSee = p.kind !== 'other';
    if (shouldSee !== events.length > 0) failures.push(`${cell}: saw ${events.length} events of ${APP}`);
  }
}

describe('MQTT: CONNECT, SUBSCRIBE, PUBLISH down/push and down/replace × every principal', () => {
  const queueHas = async (cid: string) => {
    const r = await request(
      { kind: 'admin', name: 'admin' },
      'GET',
      `/api/v3/as/applications/${APP}/devices/${DEV}/down`,
    );
    return r.text.includes(`"${cid}"`);
  };

  async function publishAndCheck(
    c: RawClient,
    app: string,
    operation: 'push' | 'replace',
    cid: string,
    id: number,
  ) {
    c.send({
      cmd: 'publish',
      topic: `v3/${app}/devices/${DEV}/down/${operation}`,
      payload: JSON.stringify({ downlinks: [{ f_port: 2, frm_payload: 'Ag==', correlation_ids: [cid] }] }),
      qos: 1,
      messageId: id,
      dup: false,
      retain: false,
    });
    // PUBACK comes once the result is durable (MqttPorts.receiveDownlinks), so the queue is final.
    await c.next('puback');
    return queueHas(cid);
  }

  it('answers each cell as the declared table says', async () => {
    const tally = { connects: 0, subscribes: 0, publishes: 0, deliveries: 0 };
    const failures: string[] = [];
    const token = (await call<{ token: string }>(mote, admin, 'POST', '/api/auth/console-token')).body.token;
    const rows: { name: string; username: string; password?: string; held: Set<SpecRight>; home: boolean }[] =
      [];
    for (const p of principals) {
      if (p.kind === 'admin') {
        rows.push({
          name: 'console token',
          username: APP,
          password: token,
          held: specExpand(['RIGHT_APPLICATION_ALL']),
          home: true,
        });
      } else if (p.kind === 'own') {
        rows.push({ name: p.name, username: APP, password: p.key, held: specExpand([p.right]), home: true });
      } else if (p.kind === 'other') {
        // Its key as the password for APP, and then connected as its own application.
        rows.push({
          name: `${p.name} as ${APP}`,
          username: APP,
          password: p.key,
          held: new Set(),
          home: false,
        });
        rows.push({
          name: `${p.name} as ${OTHER}`,
          username: OTHER,
          password: p.key,
          held: specExpand(['RIGHT_APPLICATION_ALL']),
          home: false,
        });
      } else rows.push({ name: p.name, username: APP, password: p.key, held: new Set(), home: false });
    }
    for (const row of rows) {
      const c = await mqttClient();
      const packet = connectPacket(row.username, row.password ?? '', `authz-${n++}`);
      if (row.password === undefined) delete packet.password;
      c.send(packet);
      const connack = (await c.next('connack')) as IConnackPacket;
      const mayConnect = row.held.size > 0;
      tally.connects++;
      if (connack.returnCode !== (mayConnect ? 0 : 5))
        failures.push(`CONNECT ${row.name}: got ${connack.returnCode}`);
      if (!mayConnect) {
        // A refusal is followed by the server closing the connection [MQTT-3.2.2-5].
        const { closed } = await closeReason(c);
        if (closed !== 'by server') failures.push(`CONNECT ${row.name}: refused, then ${closed}`);
        c.socket.destroy();
        continue;
      }
      const canRead = row.held.has('RIGHT_APPLICATION_TRAFFIC_READ');
      const canWrite = row.held.has('RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE');
      // Filters on APP's traffic: scoped and granted only with TRAFFIC_READ on APP.
      const filters = [`v3/${APP}/devices/+/up`, '#'];
      c.send({
        cmd: 'subscribe',
        messageId: 1,
        subscriptions: filters.map((topic) => ({ topic, qos: 0 as const })),
      });
      const granted = ((await c.next('suback')) as ISubackPacket).granted;
      const wantGranted = row.home ? filters.map(() => (canRead ? 0 : 0x80)) : [0x80, 0];
      tally.subscribes += filters.length;
      if (JSON.stringify(granted) !== JSON.stringify(wantGranted))
        failures.push(`SUBSCRIBE ${row.name}: got ${JSON.stringify(granted)}`);
      // Whether APP's traffic reaches it: an uplink, then a ping that must come back after it.
      const up = await request(
        { kind: 'admin', name: 'admin' },
        'POST',
        `/api/v3/as/applications/${APP}/devices/${DEV}/up/simulate`,
        {
          uplink_message: { f_port: 1, frm_payload: 'AQ==' },
        },
      );
      expect(up.status).toBe(200);
      c.send({ cmd: 'pingreq' });
      await c.next('pingresp');
      const got = c.packets.filter(
        (p): p is IPublishPacket => p.cmd === 'publish' && p.topic.startsWith(`v3/${APP}/`),
      ).length;
      tally.deliveries++;
      if (got > 0 !== (row.home && canRead))
        failures.push(`delivery to ${row.name}: ${got} messages of ${APP}`);
      for (const operation of ['push', 'replace'] as const) {
        const cid = `authz:mqtt:${n++}`;
        const tookEffect = await publishAndCheck(c, APP, operation, cid, (n % 60000) + 1);
        tally.publishes++;
        if (tookEffect !== (row.home && canWrite))
          failures.push(`PUBLISH down/${operation} ${row.name}: took effect ${tookEffect}`);
      }
      expect(c.isClosed()).toBe(false);
      c.socket.destroy();
    }
    console.log(
      `authz matrix (MQTT): ${rows.length} principals — ${tally.connects} CONNECT, ${tally.subscribes} SUBSCRIBE, ` +
        `${tally.deliveries} delivery and ${tally.publishes} PUBLISH cells asserted; ${failures.length} wrong`,
    );
    expect(failures).toEqual([]);
  });
});

describe('the console token', () => {
  it('connects once: a replay of it is refused (0x05)', async () => {
    const token = (await call<{ token: string }>(mote, admin, 'POST', '/api/auth/console-token')).body.token;
    const codes: number[] = [];
    for (const clientId of ['console-once', 'console-replay']) {
      const c = await mqttClient();
      c.send(connectPacket(APP, token, clientId));
      codes.push(((await c.next('connack')) as IConnackPacket).returnCode ?? -1);
      c.socket.destroy();
    }
    expect(codes).toEqual([0, 5]);
  });
});

describe('granting rights (docs/behaviour.md §2: a key grants only what its caller holds)', () => {
  const keysOf = async (app: string) =>
    JSON.parse(
      (await request({ kind: 'admin', name: 'admin' }, 'GET', `/api/v3/applications/${app}/api-keys`)).text,
    ) as {
      api_keys: { id: string; rights: string[]; name?: string }[];
    };
  const grant = (caller: string, rights: string[]) =>
    request({ key: caller }, 'POST', `/api/v3/applications/${APP}/api-keys`, { name: 'granted', rights });

  it('creating a key: refused for rights the caller lacks, _LINK and _ALL expanded', async () => {
    const manager = (await createKey(APP, ['RIGHT_APPLICATION_SETTINGS_API_KEYS'])).key;
    const linkManager = (
      await createKey(APP, ['RIGHT_APPLICATION_SETTINGS_API_KEYS', 'RIGHT_APPLICATION_LINK'])
    ).key;
    const owner = (await createKey(APP, ['RIGHT_APPLICATION_ALL'])).key;
    const cases: [string, string, string[], number][] = [
      ['SETTINGS_API_KEYS', manager, ['RIGHT_APPLICATION_INFO'], 403],
      ['SETTINGS_API_KEYS', manager, ['APPLICATION_TRAFFIC_READ'], 403],
      ['SETTINGS_API_KEYS', manager, ['RIGHT_APPLICATION_LINK'], 403],
      ['SETTINGS_API_KEYS', manager, ['RIGHT_APPLICATION_SETTINGS_API_KEYS'], 200],
      ['SETTINGS_API_KEYS + LINK', linkManager, ['RIGHT_APPLICATION_TRAFFIC_READ'], 200],
      [
        'SETTINGS_API_KEYS + LINK',
        linkManager,
        ['RIGHT_APPLICATION_INFO', 'RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE'],
        200,
      ],
      ['SETTINGS_API_KEYS + LINK', linkManager, ['RIGHT_APPLICATION_LINK'], 200],
      ['SETTINGS_API_KEYS + LINK', linkManager, ['RIGHT_APPLICATION_TRAFFIC_UP_WRITE'], 403],
      ['SETTINGS_API_KEYS + LINK', linkManager, ['RIGHT_APPLICATION_ALL'], 403],
      ['ALL', owner, ['RIGHT_APPLICATION_ALL'], 200],
      ['ALL', owner, [...SPEC_RIGHTS], 200],
    ];
    for (const [holder, caller, rights, want] of cases) {
      const before = (await keysOf(APP)).api_keys.length;
      const r = await grant(caller, rights);
      expect(r.status, `${holder} granting ${rights.join(', ')}: ${r.text}`).toBe(want);
      expect((await keysOf(APP)).api_keys.length).toBe(before + (want === 200 ? 1 : 0));
      if (want === 403) expect(JSON.parse(r.text).message).toMatch(/cannot grant rights/);
    }
    console.log(`authz grants: ${cases.length} key creations asserted`);
  });

  it('changing a key: neither adding nor removing rights the caller lacks (as TTS)', async () => {
    const manager = (await createKey(APP, ['RIGHT_APPLICATION_SETTINGS_API_KEYS', 'RIGHT_APPLICATION_INFO']))
      .key;
    const weak = await createKey(APP, ['RIGHT_APPLICATION_INFO']);
    const strong = await createKey(APP, ['RIGHT_APPLICATION_ALL']);
    const update = (id: string, api_key: unknown) =>
      request({ key: manager }, 'PUT', `/api/v3/applications/${APP}/api-keys/${id}`, { api_key });
    const rightsOf = async (id: string) => (await keysOf(APP)).api_keys.find((k) => k.id === id)?.rights;

    expect((await update(weak.id, { rights: ['RIGHT_APPLICATION_ALL'] })).status).toBe(403);
    expect((await update(weak.id, { rights: ['RIGHT_APPLICATION_DEVICES_WRITE'] })).status).toBe(403);
    expect(await rightsOf(weak.id)).toEqual(['RIGHT_APPLICATION_INFO']);
    // Stripping an owner key down to what the caller holds would let a lesser key disarm it.
    expect((await update(strong.id, { rights: ['RIGHT_APPLICATION_INFO'] })).status).toBe(403);
    expect(await rightsOf(strong.id)).toEqual(['RIGHT_APPLICATION_ALL']);
    // Renaming needs no rights beyond SETTINGS_API_KEYS; neither does a no-op rights change.
    expect((await update(strong.id, { name: 'renamed' })).status).toBe(200);
    expect((await update(strong.id, { rights: ['RIGHT_APPLICATION_ALL'] })).status).toBe(200);
    expect(
      (await update(weak.id, { rights: ['RIGHT_APPLICATION_INFO', 'RIGHT_APPLICATION_SETTINGS_API_KEYS'] }))
        .status,
    ).toBe(200);
    expect((await update(weak.id, { rights: ['RIGHT_APPLICATION_INFO'] })).status).toBe(200);
  });

  it('a key cannot reach another application’s keys through its own path', async () => {
    const owner = (await createKey(APP, ['RIGHT_APPLICATION_ALL'])).key;
    const theirs = await createKey(OTHER, ['RIGHT_APPLICATION_ALL']);
    const path = `/api/v3/applications/${APP}/api-keys/${theirs.id}`;
    expect((await request({ key: owner }, 'GET', path)).status).toBe(404);
    expect(
      (await request({ key: owner }, 'PUT', path, { api_key: { rights: ['RIGHT_APPLICATION_INFO'] } }))
        .status,
    ).toBe(404);
    expect((await request({ key: owner }, 'DELETE', path)).status).toBe(404);
    const still = await request({ key: theirs.key }, 'GET', `/api/v3/applications/${OTHER}`);
    expect(still.status).toBe(200);
  });
});
