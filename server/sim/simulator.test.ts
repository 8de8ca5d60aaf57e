import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { at } from '../../test/helpers/at';
import { type Fixture, openFixture, withDevice } from '../../test/helpers/fixture';
import { silentLogger } from '../log';
import { seedDemo } from './demo';
import { PROFILE_FORMATTER } from './profile';
import { seededRandom } from './random';
import { createSimulator, type Simulator } from './simulator';

let f: Fixture;
let sim: Simulator;
const makeSim = () =>
  createSimulator({
    ns: f.ns,
    devices: f.store.devices,
    applications: f.store.applications,
    clock: f.clock,
    log: silentLogger,
    random: seededRandom(42),
  });

beforeEach(async () => {
  f = await openFixture();
  await withDevice(f);
  sim = makeSim();
});
afterEach(async () => {
  await sim.close();
  await f.close();
});

/** Advances the manual clock by one interval and lets due devices take their turn. */
async function turns(n: number, intervalMs = 2000) {
  for (let i = 0; i < n; i++) {
    await sim.tick();
    f.clock.advance(intervalMs);
  }
}
const events = () => f.messages.map((m) => m.event);
const confirmed = {
  f_port: 15,
  frm_payload: 'vu8=',
  priority: 'HIGH',
  confirmed: true,
  correlation_ids: ['my-correlation-id'],
};

describe('simulated class A device', () => {
  it('joins, then sends uplinks with rising f_cnt, rx_metadata and EU868 settings', async () => {
    await sim.start('app1', 'dev1', { intervalMs: 2000 });
    await turns(4);
    expect(events()).toEqual(['join', 'up', 'up', 'up']);
    const messages = f.json();
    const join = at(messages, 0);
    const ups = messages.slice(1);
    // From NetID 000000's range (type 0, NwkID 0): the network server's, not TTN's 26/27 any more.
    expect(join.end_device_ids.dev_addr).toMatch(/^0[01][0-9A-F]{6}$/);
    expect(join.join_accept.session_key_id).toBeTruthy();
    expect(ups.map((u) => u.uplink_message.f_cnt)).toEqual([undefined, 1, 2]);
    const up = at(ups, 1).uplink_message;
    expect(up.frm_payload).toHaveLength(4);
    expect(up.rx_metadata.length).toBeGreaterThanOrEqual(1);
    expect(up.rx_metadata.length).toBeLessThanOrEqual(3);
    expect(up.rx_metadata[0]).toMatchObject({
      gateway_ids: { gateway_id: expect.stringMatching(/^eui-/) },
      uplink_token: expect.any(String),
    });
    expect(typeof up.rx_metadata[0].rssi).toBe('number');
    expect(up.settings).toMatchObject({
      data_rate: { lora: { bandwidth: 125000, spreading_factor: 7 } },
      frequency: expect.stringMatching(/^86[78]\d{6}$/),
    });
    expect(up.consumed_airtime).toMatch(/^0\.\d{6}s$/);
    expect(at(ups, 0).correlation_ids.some((c: string) => c.startsWith('gs:uplink:'))).toBe(true);
    expect((await f.store.devices.get('app1', 'dev1')).dev_addr).toBe(join.end_device_ids.dev_addr);
  });

  it('each join gets a new DevAddr and session key ID', async () => {
    await sim.step('app1', 'dev1');
    const state = await f.store.devices.getSettings<{ simulator: { joined: boolean } }>('app1', 'dev1');
    await f.store.devices.setSetting('app1', 'dev1', 'simulator', { ...state?.simulator, joined: false });
    await sim.step('app1', 'dev1');
    const joins = f.json('join');
    const a = at(joins, 0);
    const b = at(joins, 1);
    expect(a.join_accept.session_key_id).not.toBe(b.join_accept.session_key_id);
    expect(a.end_device_ids.dev_addr).not.toBe(b.end_device_ids.dev_addr);
  });

  it('the seed story: queued, sent, ack each carry my-correlation-id', async () => {
    await sim.start('app1', 'dev1', { intervalMs: 2000, ackLoss: 0 });
    await turns(2);
    await f.receiveDownlinks('app1', 'dev1', 'push', Buffer.from(JSON.stringify({ downlinks: [confirmed] })));
    await turns(2);
    expect(events()).toEqual(['join', 'up', 'down/queued', 'up', 'down/sent', 'up', 'down/ack']);
    for (const e of ['down/queued', 'down/sent', 'down/ack'])
      expect(at(f.json(e), 0).correlation_ids).toContain('my-correlation-id');
  });

  it('speaks real frames: keys on first start, join, uplinks, a confirmed downlink ACKed, all through the NS', async () => {
    await sim.start('app1', 'dev1', { intervalMs: 2000, ackLoss: 0 });
    // Issue 12: a device created without keys gets them, as the API would write them.
    const device = await f.store.devices.get('app1', 'dev1');
    expect(device).toMatchObject({
      frequency_plan_id: 'EU_863_870',
      lorawan_version: 'MAC_V1_0_3',
      supports_join: true,
    });
    expect((await f.store.devices.getKeys('app1', 'dev1')).app_key).toMatch(/^[0-9A-F]{32}$/);
    await turns(2);
    await f.receiveDownlinks('app1', 'dev1', 'push', Buffer.from(JSON.stringify({ downlinks: [confirmed] })));
    await turns(2);
    expect(events()).toEqual(['join', 'up', 'down/queued', 'up', 'down/sent', 'up', 'down/ack']);
    // Every message came from the network layer: one join, three uplinks, one frame down.
    expect(f.ns.stats()).toMatchObject({ joins: 1, uplinks: 3, downlinks: 1, dropped: 0 });
    const ups = f.json('up');
    expect(ups.map((u) => u.uplink_message.network_ids)).toEqual(Array(3).fill({ net_id: '000000' }));
    const join = at(f.json('join'), 0);
    expect(ups.every((u) => u.uplink_message.session_key_id === join.join_accept.session_key_id)).toBe(true);
    // The NS's session is the one the simulated device derived from the JoinAccept.
    const keys = await f.store.devices.getKeys('app1', 'dev1');
    expect(keys.session).toMatchObject({ dev_addr: join.end_device_ids.dev_addr, last_f_cnt_up: 2 });
  });

  it('the virtual gateway settles what it delivered: down/sent, nothing left in flight', async () => {
    await sim.start('app1', 'dev1', { intervalMs: 2000 });
    await turns(1);
    await f.as.downlinks.push('app1', 'dev1', [{ f_port: 3, frm_payload: new Uint8Array([3]) }]);
    await turns(1);
    expect(at(f.json('down/sent'), 0).downlink_sent).toMatchObject({ f_port: 3 });
    const session = await f.store.devices.getSession<{ in_flight_downlink?: string }>('app1', 'dev1');
    expect(session?.in_flight_downlink).toBeUndefined();
    expect(await f.as.downlinks.list('app1', 'dev1')).toEqual([]);
  });

  it('a device created with its own AppKey joins with it', async () => {
    const appKey = '00112233445566778899AABBCCDDEEFF';
    await f.store.devices.update('app1', 'dev1', { app_key: appKey }, f.clock.now());
    await sim.step('app1', 'dev1');
    expect(events()).toEqual(['join']);
    expect((await f.store.devices.getKeys('app1', 'dev1')).app_key).toBe(appKey);
  });

  it('ack loss 1.0: down/nack ×8 then down/failed max_retries_reached', async () => {
    await sim.start('app1', 'dev1', { intervalMs: 2000, ackLoss: 1 });
    await turns(2);
    await f.receiveDownlinks('app1', 'dev1', 'push', Buffer.from(JSON.stringify({ downlinks: [confirmed] })));
    await turns(12);
    expect(f.json('down/nack')).toHaveLength(8);
    const failed = f.json('down/failed');
    expect(failed.map((m) => m.downlink_failed.error.name)).toEqual(['max_retries_reached']);
    for (const m of [...f.json('down/nack'), ...failed])
      expect(m.correlation_ids).toContain('my-correlation-id');
  });

  it('stop halts the device; start/stop/interval persist and a new simulator resumes', async () => {
    await sim.start('app1', 'dev1', { intervalMs: 3000, ackLoss: 0.5 });
    await turns(3, 3000);
    await sim.close();
    sim = makeSim();
    expect(await sim.resume()).toBe(1);
    await turns(1, 3000);
    expect(f.json('up').map((u) => u.uplink_message.f_cnt)).toEqual([undefined, 1, 2]);
    expect(await sim.stop('app1', 'dev1')).toMatchObject({
      running: false,
      interval_ms: 3000,
      ack_loss: 0.5,
      f_cnt: 3,
    });
    await turns(3, 3000);
    expect(f.json('up')).toHaveLength(3);
  });

  it.each([
    [{ intervalMs: 10 }, 'interval'],
    [{ ackLoss: 2 }, 'ack_loss'],
    [{ dataRateIndex: 9 }, 'data_rate_index'],
  ])('rejects %j', async (options, field) => {
    await expect(sim.start('app1', 'dev1', options)).rejects.toMatchObject({ attributes: { field } });
  });

  it('unknown device → end_device_not_found', async () => {
    await expect(sim.start('app1', 'ghost')).rejects.toMatchObject({ name: 'end_device_not_found' });
  });
});

describe('seedDemo', () => {
  it('creates the demo application with three running devices, once', async () => {
    expect(await seedDemo({ ...f.store, formatters: f.formatters, clock: f.clock, sim })).toBe(true);
    expect(await seedDemo({ ...f.store, formatters: f.formatters, clock: f.clock, sim })).toBe(false);
    expect((await f.store.devices.list('demo')).map((d) => d.device_id)).toEqual([
      'sensor-1',
      'sensor-2',
      'sensor-3',
    ]);
    await sim.tick();
    expect(f.json('join')).toHaveLength(3);
    // The demo decodes its profile's payloads (docs/behaviour.md §8: the demo shows decoded values).
    expect((await f.formatters.getLink('demo')).default_formatters).toMatchObject({
      up_formatter: 'FORMATTER_JAVASCRIPT',
      up_formatter_parameter: PROFILE_FORMATTER,
    });
  });
});
