/**
 * The Things Stack's "MQTT Server" integration page (the story of docs/behaviour.md §3–5),
 * followed with mosquitto_sub/mosquitto_pub and Mote's CLI in place of ttn-lw-cli, against a
 * real server: what the page promises is seen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, type Caller, call } from './helpers/api';
import { at } from './helpers/at';
import { mote } from './helpers/cli';
import { mosquittoPub, mosquittoSub, type Received, type Subscriber } from './helpers/mosquitto';
import { type RunningMote, removeDataDir, startMote } from './helpers/mote';

let server: RunningMote;
let admin: Caller;
let cli: Record<string, string>;
let key: string;
let sub: Subscriber;

const on = (topicSuffix: string) => (m: Received) => m.topic === `v3/app1/devices/dev1/${topicSuffix}`;
const withCid = (cid: string) => (m: Received) => (m.json.correlation_ids as string[]).includes(cid);

beforeAll(async () => {
  server = await startMote();
  admin = await adminSession(server);
  cli = { MOTE_URL: server.url, MOTE_ADMIN_PASSWORD: server.adminPassword };
  expect((await mote(['applications', 'create', 'app1'], cli)).code).toBe(0);
  expect(
    (
      await mote(
        [
          'end-devices',
          'create',
          'app1',
          'dev1',
          '--dev-eui',
          '4200000000000000',
          '--join-eui',
          '4200000000000000',
        ],
        cli,
      )
    ).code,
  ).toBe(0);
  const created = await mote(
    'applications api-keys create --name mqtt-client --application-id app1 --right-application-traffic-read --right-application-traffic-down-write'.split(
      ' ',
    ),
    cli,
  );
  key = (JSON.parse(created.stdout) as { key: string }).key;
  sub = await mosquittoSub(server.mqttPort, 'app1', key);
});

afterAll(async () => {
  sub?.stop();
  await server?.stop();
  if (server) removeDataDir(server);
});

describe('the MQTT server page, with Mote', () => {
  it('publishes join and then up for a device that joins and sends uplinks', async () => {
    expect(
      (await mote(['simulate', 'start', 'app1', 'dev1', '--interval', '300ms', '--ack-loss', '0'], cli)).code,
    ).toBe(0);
    const msgs = await sub.until((ms) => ms.some(on('join')) && ms.filter(on('up')).length >= 2);
    const join = msgs.find(on('join'))!.json;
    expect(join).toMatchObject({
      end_device_ids: {
        device_id: 'dev1',
        application_ids: { application_id: 'app1' },
        dev_eui: '4200000000000000',
        join_eui: '4200000000000000',
      },
      join_accept: { session_key_id: expect.any(String) },
    });
    expect((join.end_device_ids as { dev_addr: string }).dev_addr).toMatch(/^[0-9A-F]{8}$/);
    const up = msgs.find(on('up'))!.json;
    const cids = up.correlation_ids as string[];
    expect(cids.some((c) => c.startsWith('as:up:'))).toBe(true);
    expect(cids.some((c) => c.startsWith('gs:uplink:'))).toBe(true);
    expect([...cids].sort()).toEqual(cids);
    const uplink = up.uplink_message as Record<string, unknown>;
    expect(uplink).toMatchObject({
      session_key_id: expect.any(String),
      f_port: expect.any(Number),
      frm_payload: expect.any(String),
    });
    const [rx] = uplink.rx_metadata as Record<string, unknown>[];
    expect(rx).toMatchObject({
      gateway_ids: { gateway_id: expect.any(String) },
      rssi: expect.any(Number),
      snr: expect.any(Number),
    });
    const settings = uplink.settings as {
      data_rate: { lora: { spreading_factor: number; bandwidth: number } };
      frequency: string;
    };
    expect(settings.data_rate.lora.bandwidth).toBe(125000);
    expect(settings.frequency).toMatch(/^8\d{8}$/);
  });

  it('queues the downlink published with mosquitto_pub on down/push', async () => {
    const before = sub.messages.length;
    const pub = mosquittoPub(
      server.mqttPort,
      'app1',
      key,
      'v3/app1/devices/dev1/down/push',
      '{"downlinks":[{"f_port": 15,"frm_payload":"vu8=","priority": "NORMAL"}]}',
    );
    expect(pub.status, pub.output).toBe(0);
    const msgs = await sub.until((ms) => ms.slice(before).some(on('down/queued')));
    const queued = msgs.slice(before).find(on('down/queued'))!.json;
    expect(queued.downlink_queued).toMatchObject({ f_port: 15, frm_payload: 'vu8=', priority: 'NORMAL' });
    expect((queued.correlation_ids as string[]).some((c) => c.startsWith('as:downlink:'))).toBe(true);
  });

  it('carries my-correlation-id on queued, sent and ack of a confirmed downlink', async () => {
    const body =
      '{"downlinks":[{"f_port": 15,"frm_payload":"vu8=","priority": "HIGH","confirmed": true,"correlation_ids": ["my-correlation-id"]}]}';
    expect(mosquittoPub(server.mqttPort, 'app1', key, 'v3/app1/devices/dev1/down/push', body).status).toBe(0);
    const msgs = await sub.until((ms) =>
      ms.some((m) => on('down/ack')(m) && withCid('my-correlation-id')(m)),
    );
    const chain = msgs.filter(withCid('my-correlation-id'));
    expect(chain.map((m) => m.topic.split('/dev1/')[1])).toEqual(['down/queued', 'down/sent', 'down/ack']);
    const ack = at(chain, 2).json;
    expect(ack.downlink_ack).toMatchObject({
      f_port: 15,
      frm_payload: 'vu8=',
      confirmed: true,
      priority: 'HIGH',
      f_cnt: expect.any(Number),
    });
    expect((ack.downlink_ack as { correlation_ids: string[] }).correlation_ids).toContain(
      'my-correlation-id',
    );
    expect((at(chain, 1).json.downlink_sent as { f_cnt: number }).f_cnt).toBe(
      (ack.downlink_ack as { f_cnt: number }).f_cnt,
    );
  });

  it('returns the whole chain from events/related, in order', async () => {
    // History is written in batches just after publishing: ask until the ack's row is in.
    let bodies: (string | undefined)[] = [];
    for (let i = 0; i < 100 && bodies.length < 3; i++) {
      const r = await call<{ events: { name: string; data: Record<string, unknown> }[] }>(
        server,
        admin,
        'GET',
        '/api/v3/events/related?correlation_id=my-correlation-id',
      );
      expect(r.status).toBe(200);
      bodies = r.body.events.map((e) => Object.keys(e.data).find((k) => k.startsWith('downlink_')));
      if (bodies.length < 3) await new Promise((res) => setTimeout(res, 50));
    }
    expect(bodies).toEqual(['downlink_queued', 'downlink_sent', 'downlink_ack']);
  });

  it('with every ack lost: nack ×8, then down/failed max_retries_reached', async () => {
    expect(
      (await mote(['simulate', 'start', 'app1', 'dev1', '--interval', '200ms', '--ack-loss', '1'], cli)).code,
    ).toBe(0);
    const body =
      '{"downlinks":[{"f_port": 2,"frm_payload":"AQ==","confirmed": true,"correlation_ids": ["lossy"]}]}';
    expect(mosquittoPub(server.mqttPort, 'app1', key, 'v3/app1/devices/dev1/down/push', body).status).toBe(0);
    const msgs = await sub.until((ms) => ms.some((m) => on('down/failed')(m) && withCid('lossy')(m)), 60_000);
    const chain = msgs.filter(withCid('lossy')).map((m) => m.topic.split('/dev1/')[1]);
    expect(chain.filter((t) => t === 'down/nack')).toHaveLength(8);
    expect(chain.at(-1)).toBe('down/failed');
    const failed = msgs.find((m) => on('down/failed')(m) && withCid('lossy')(m))!.json.downlink_failed as {
      error: { name: string };
    };
    expect(failed.error.name).toBe('max_retries_reached');
    expect((await mote(['simulate', 'stop', 'app1', 'dev1'], cli)).code).toBe(0);
  });

  it('answers a bad push with down/failed naming the problem, and keeps the queue', async () => {
    await call(server, admin, 'DELETE', '/api/v3/as/applications/app1/devices/dev1/down');
    await call(server, admin, 'POST', '/api/v3/as/applications/app1/devices/dev1/down/push', {
      downlinks: [{ f_port: 3, frm_payload: 'AQ==' }],
    });
    const before = sub.messages.length;
    for (const bad of [
      'not json',
      '{"downlinks":[{"f_port":224,"frm_payload":"AQ=="}]}',
      '{"downlinks":[{"f_port":1}]}',
    ]) {
      expect(
        mosquittoPub(server.mqttPort, 'app1', key, 'v3/app1/devices/dev1/down/replace', bad).status,
      ).toBe(0);
    }
    const msgs = await sub.until((ms) => ms.slice(before).filter(on('down/failed')).length >= 3);
    const names = msgs
      .slice(before)
      .filter(on('down/failed'))
      .map((m) => (m.json.downlink_failed as { error: { name: string; message_format: string } }).error);
    expect(at(names, 0).name).toBe('invalid_json');
    expect(at(names, 1).message_format).toContain('f_port');
    expect(at(names, 2).name).toBe('no_payload');
    const queue = await call<{ downlinks: { f_port: number }[] }>(
      server,
      admin,
      'GET',
      '/api/v3/as/applications/app1/devices/dev1/down',
    );
    expect(queue.body.downlinks.map((d) => d.f_port)).toEqual([3]);
  });

  it("never lets app1's client touch app2", async () => {
    await call(server, admin, 'POST', '/api/v3/applications', {
      application: { ids: { application_id: 'app2' } },
    });
    await call(server, admin, 'POST', '/api/v3/applications/app2/devices', {
      end_device: { ids: { device_id: 'dev1' } },
    });
    const pushed = mosquittoPub(
      server.mqttPort,
      'app1',
      key,
      'v3/app2/devices/dev1/down/push',
      '{"downlinks":[{"f_port":1,"frm_payload":"AQ=="}]}',
    );
    expect(pushed.status).toBe(0);
    // A marker push on app1 after it: once its `queued` arrives, the app2 publish was handled too.
    mosquittoPub(
      server.mqttPort,
      'app1',
      key,
      'v3/app1/devices/dev1/down/push',
      '{"downlinks":[{"f_port":9,"frm_payload":"AQ==","correlation_ids":["marker"]}]}',
    );
    await sub.until((ms) => ms.some(withCid('marker')));
    const queue = await call<{ downlinks: unknown[] }>(
      server,
      admin,
      'GET',
      '/api/v3/as/applications/app2/devices/dev1/down',
    );
    expect(queue.body.downlinks).toEqual([]);
    expect(sub.messages.some((m) => m.topic.startsWith('v3/app2/'))).toBe(false);
  });

  it('keeps the queue across kill -9 and restart', async () => {
    const before = await call<{ downlinks: unknown[] }>(
      server,
      admin,
      'GET',
      '/api/v3/as/applications/app1/devices/dev1/down',
    );
    expect(before.body.downlinks.length).toBeGreaterThan(0);
    sub.stop();
    await server.kill();
    server = await startMote({ dataDir: server.dataDir, adminPassword: server.adminPassword });
    admin = await adminSession(server);
    const after = await call<{ downlinks: unknown[] }>(
      server,
      admin,
      'GET',
      '/api/v3/as/applications/app1/devices/dev1/down',
    );
    expect(after.body.downlinks).toEqual(before.body.downlinks);
  });
});
