/**
 * The NS device cache (nsDeviceCache.ts) is never stale: the network server over the real store
 * takes frames under a device's current keys and counters only, whatever the store changed in
 * between (the HTTP API's device routes call these same store verbs).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENGINES, type StorePlace, storePlace } from '../../test/helpers/engines';
import { manualClock } from '../../test/helpers/fixture';
import { OtaaDevice, radio } from '../../test/helpers/otaaDevice';
import { systemIds } from '../as/correlation';
import { silentLogger } from '../log';
import type { NetworkServer } from '../ns/ports';
import { createNetworkServer } from '../ns/server';
import { NsDeviceCache } from './nsDeviceCache';
import type { NsDevice, Store } from './ports';

const KEK = Buffer.alloc(32, 9);
const now = new Date('2026-01-01T00:00:00Z');
const key = (n: number) => n.toString(16).toUpperCase().padStart(2, '0').repeat(16);
const ADDR = '260B0001';

let place: StorePlace;
let store: Store;
let ns: NetworkServer;
let drops: string[];
let ups: number;
const clock = manualClock();

/** An ABP device as the API creates it, and the device side holding the same keys. */
async function abp(id: string, devAddr: string, seed: number, create = true) {
  const keys = { dev_addr: devAddr, f_nwk_s_int_key: key(seed), app_s_key: key(seed + 1) };
  if (create)
    await store.devices.create(
      'app1',
      id,
      { frequency_plan_id: 'EU_863_870', lorawan_version: 'MAC_V1_0_3', supports_join: false, session: keys },
      now,
    );
  else await store.devices.update('app1', id, { session: keys }, now);
  const device = new OtaaDevice(key(0));
  device.session = { devAddr, nwkSKey: keys.f_nwk_s_int_key, appSKey: keys.app_s_key };
  return device;
}

/** One frame through the network server: 'up', or what it was dropped for. */
async function send(frame: Buffer): Promise<string> {
  clock.advance(1_000); // past the gateway dedup window: a repeat is the NS's to judge
  const before = drops.length;
  const upsBefore = ups;
  await ns.handleUplink(frame, radio(clock.now()));
  if (ups > upsBefore) return 'up';
  return drops[before] ?? 'nothing';
}

async function open(engine: (typeof ENGINES)[number]) {
  place = await storePlace(engine);
  store = await place.open({ log: silentLogger, kek: KEK });
  await store.applications.create('app1', {}, now);
  drops = [];
  ups = 0;
  ns = createNetworkServer({
    registry: store.nsDevices,
    as: {
      handleJoin: async () => {},
      handleUplink: async () => {
        ups++;
        return [];
      },
      receiveWindow: async () => undefined,
      settleWindow: async () => {},
    },
    clock,
    ids: systemIds,
    log: silentLogger,
    onDrop: (_ids, name) => drops.push(name),
  });
}

const up = (d: OtaaDevice, fCnt?: number) =>
  d.up({ payload: Buffer.of(1), ...(fCnt === undefined ? {} : { fCnt }) });

describe.each(ENGINES)('the NS device cache behind the registry (%s)', (engine) => {
  beforeEach(() => open(engine));
  afterEach(async () => {
    await store.close();
    place.dispose();
  });

  it('keeps counters in step: a replay is refused from memory as from the table', async () => {
    const d = await abp('d1', ADDR, 1);
    expect(await send(up(d, 0))).toBe('up');
    expect(await send(up(d, 1))).toBe('up');
    expect(await send(up(d, 1))).toBe('duplicate_uplink');
    expect((await store.devices.getKeys('app1', 'd1')).session?.last_f_cnt_up).toBe(1);
  });

  it('drops a frame under the old key once the API gave new session keys (mic_mismatch)', async () => {
    const old = await abp('d1', ADDR, 1);
    expect(await send(up(old))).toBe('up');
    const renewed = await abp('d1', ADDR, 5, false);
    expect(await send(up(old))).toBe('mic_mismatch');
    // A new session: its counters start from zero.
    expect(await send(up(renewed, 0))).toBe('up');
  });

  it('follows a device to its new DevAddr and forgets the old one', async () => {
    const d = await abp('d1', ADDR, 1);
    expect(await send(up(d))).toBe('up');
    const moved = await abp('d1', '260B0002', 1, false);
    expect(await send(up(d))).toBe('unknown_dev_addr');
    expect(await send(up(moved))).toBe('up');
  });

  it('forgets a deleted device, and an application’s devices with it (unknown_dev_addr)', async () => {
    const d = await abp('d1', ADDR, 1);
    const e = await abp('d2', '260B0002', 3);
    expect(await send(up(d))).toBe('up');
    expect(await send(up(e))).toBe('up');
    await store.devices.delete('app1', 'd1');
    expect(await send(up(d))).toBe('unknown_dev_addr');
    expect(await send(up(e))).toBe('up');
    await store.applications.delete('app1');
    expect(await send(up(e))).toBe('unknown_dev_addr');
  });

  it('finds a device created at a DevAddr that was nobody’s a moment ago', async () => {
    const stranger = new OtaaDevice(key(0));
    stranger.session = { devAddr: ADDR, nwkSKey: key(1), appSKey: key(2) };
    expect(await send(up(stranger))).toBe('unknown_dev_addr');
    const d = await abp('d1', ADDR, 1);
    expect(await send(up(d))).toBe('up');
  });

  it('finds a device again once the settings it lacked are given', async () => {
    const d = await abp('d1', ADDR, 1);
    await store.devices.update('app1', 'd1', { lorawan_version: 'MAC_V9' }, now);
    expect(await send(up(d))).toBe('unknown_dev_addr');
    await store.devices.update('app1', 'd1', { lorawan_version: 'MAC_V1_0_2' }, now);
    expect(await send(up(d))).toBe('up');
  });

  it('hands out entries no caller can change', async () => {
    await abp('d1', ADDR, 1);
    const [found] = await store.nsDevices.findByDevAddr(ADDR);
    expect(() => {
      if (found?.session) (found.session as { lastFCntUp?: number }).lastFCntUp = 99;
    }).toThrow(TypeError);
    expect((await store.nsDevices.findByDevAddr(ADDR))[0]?.session?.lastFCntUp).toBeUndefined();
  });
});

describe('NsDeviceCache', () => {
  const device = (id: string, devAddr: string): NsDevice => ({
    ids: { device_id: id, application_ids: { application_id: 'app1' } },
    macVersion: '1.0.3',
    frequencyPlanId: 'EU_863_870',
    session: { devAddr, nwkSKey: key(1), appSKey: key(2), sessionKeyId: '01' },
  });

  it('does not keep a lookup that a write overtook', () => {
    const cache = new NsDeviceCache();
    const fill = cache.startFill(ADDR);
    cache.device('app1', 'other');
    cache.fill(ADDR, fill, [device('d1', ADDR)]);
    expect(cache.get(ADDR)).toBeUndefined();
    const again = cache.startFill(ADDR);
    cache.fill(ADDR, again, [device('d1', ADDR)]);
    expect(cache.get(ADDR)).toHaveLength(1);
  });

  it('does not keep a lookup that read counters older than a counter write', () => {
    const cache = new NsDeviceCache();
    const fill = cache.startFill(ADDR);
    cache.counters(
      'app1',
      'd1',
      {
        ...(device('d1', ADDR).session as NonNullable<NsDevice['session']>),
        lastFCntUp: 5,
      },
      'up',
    );
    cache.fill(ADDR, fill, [device('d1', ADDR)]);
    expect(cache.get(ADDR)).toBeUndefined();
  });

  it('holds a device in one entry only, and stays within its capacity', () => {
    const cache = new NsDeviceCache(2);
    cache.fill('A', cache.startFill('A'), [device('d1', 'A')]);
    cache.fill('B', cache.startFill('B'), [device('d1', 'B')]);
    expect(cache.get('A')).toBeUndefined();
    cache.fill('C', cache.startFill('C'), []);
    cache.fill('D', cache.startFill('D'), []);
    expect(cache.size).toBe(2);
    expect(cache.get('B')).toBeUndefined();
  });
});
