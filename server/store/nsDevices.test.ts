import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENGINES, type StorePlace, storePlace } from '../../test/helpers/engines';
import { silentLogger } from '../log';
import { kekMismatch } from './errors';
import type { NsSession, Store } from './ports';

const KEK = Buffer.alloc(32, 9);
const APP_KEY = '2B7E151628AED2A6ABF7158809CF4F3C';
const NWK = '11111111111111111111111111111111';
const APPS = '22222222222222222222222222222222';
const now = new Date('2026-01-01T00:00:00Z');

let place: StorePlace;
let store: Store;

const otaa = () =>
  store.devices.create(
    'app1',
    'otaa1',
    {
      dev_eui: '0004A30B001C0530',
      join_eui: '70B3D57ED0000000',
      frequency_plan_id: 'EU_863_870',
      lorawan_version: 'MAC_V1_0_3',
      supports_join: true,
      app_key: APP_KEY,
    },
    now,
  );
const abp = (id: string, devAddr: string) =>
  store.devices.create(
    'app1',
    id,
    {
      frequency_plan_id: 'EU_863_870',
      lorawan_version: 'MAC_V1_0_2',
      supports_join: false,
      session: { dev_addr: devAddr, app_s_key: APPS, f_nwk_s_int_key: NWK },
    },
    now,
  );

describe.each(ENGINES)('the NS device registry over the store (%s)', (engine) => {
  beforeEach(async () => {
    place = await storePlace(engine);
    store = await place.open({ log: silentLogger, kek: KEK });
    await store.applications.create('app1', {}, now);
  });
  afterEach(async () => {
    await store.close();
    place.dispose();
  });

  it('finds an OTAA device by JoinEUI and DevEUI, with its AppKey opened', async () => {
    await otaa();
    const [d, ...more] = await store.nsDevices.findForJoin('70B3D57ED0000000', '0004a30b001c0530');
    expect(more).toEqual([]);
    expect(d).toMatchObject({ macVersion: '1.0.3', frequencyPlanId: 'EU_863_870', appKey: APP_KEY });
    expect(d?.ids).toMatchObject({ device_id: 'otaa1', application_ids: { application_id: 'app1' } });
    expect(await store.nsDevices.findForJoin('70B3D57ED0000001', '0004A30B001C0530')).toEqual([]);
  });

  it('never finds a device without keys (today’s devices)', async () => {
    await store.devices.create(
      'app1',
      'plain',
      { dev_eui: '0004A30B001C0531', join_eui: '70B3D57ED0000000' },
      now,
    );
    await store.devices.setSession('app1', 'plain', {}, { dev_addr: '260B0001' });
    expect(await store.nsDevices.findForJoin('70B3D57ED0000000', '0004A30B001C0531')).toEqual([]);
    expect(await store.nsDevices.findByDevAddr('260B0001')).toEqual([]);
  });

  it('finds every ABP device sharing a DevAddr (the MIC decides later)', async () => {
    await abp('abp1', '260B1234');
    await abp('abp2', '260B1234');
    await abp('abp3', '260B9999');
    const found = await store.nsDevices.findByDevAddr('260b1234');
    expect(found.map((d) => d.ids.device_id).sort()).toEqual(['abp1', 'abp2']);
    expect(found[0]?.session).toMatchObject({ devAddr: '260B1234', nwkSKey: NWK, appSKey: APPS, abp: true });
    expect(found[0]?.session?.sessionKeyId).toMatch(/^[0-9A-F]{32}$/);
    expect(found[0]?.session?.lastFCntUp).toBeUndefined();
  });

  it('refuses a DevNonce used before, per device (LoRaWAN 1.0.3 §6.2.5)', async () => {
    await otaa();
    await abp('abp1', '260B1234');
    expect(await store.nsDevices.useDevNonce('app1', 'otaa1', 1)).toBe(true);
    expect(await store.nsDevices.useDevNonce('app1', 'otaa1', 2)).toBe(true);
    expect(await store.nsDevices.useDevNonce('app1', 'otaa1', 1)).toBe(false);
    expect(await store.nsDevices.useDevNonce('app1', 'abp1', 1)).toBe(true);
    // Deleting the device forgets its nonces (a new device of that ID starts afresh).
    await store.devices.delete('app1', 'otaa1');
    await otaa();
    expect(await store.nsDevices.useDevNonce('app1', 'otaa1', 1)).toBe(true);
  });

  it('commits DevNonce and session with the unit of work, or neither', async () => {
    await otaa();
    const session = { devAddr: '26012222', nwkSKey: NWK, appSKey: APPS, sessionKeyId: '01' };
    await expect(
      store.transaction(async (tx) => {
        expect(await tx.nsDevices.useDevNonce('app1', 'otaa1', 7)).toBe(true);
        await tx.nsDevices.saveSession('app1', 'otaa1', session);
        throw new Error('publish failed');
      }),
    ).rejects.toThrow('publish failed');
    expect(await store.nsDevices.findByDevAddr('26012222')).toEqual([]);
    await store.transaction(async (tx) => {
      expect(await tx.nsDevices.useDevNonce('app1', 'otaa1', 7)).toBe(true);
      await tx.nsDevices.saveSession('app1', 'otaa1', session);
    });
    expect(await store.nsDevices.findByDevAddr('26012222')).toHaveLength(1);
    expect(await store.nsDevices.useDevNonce('app1', 'otaa1', 7)).toBe(false);
  });

  it('saves a joined session and its counters, found again by the new DevAddr', async () => {
    await otaa();
    await store.nsDevices.saveSession('app1', 'otaa1', {
      devAddr: '26011111',
      nwkSKey: NWK,
      appSKey: APPS,
      sessionKeyId: '0A0B',
      lastFCntUp: 70000,
      lastFCntDown: 3,
    });
    const [d] = await store.nsDevices.findByDevAddr('26011111');
    expect(d?.session).toEqual({
      devAddr: '26011111',
      nwkSKey: NWK,
      appSKey: APPS,
      sessionKeyId: '0A0B',
      lastFCntUp: 70000,
      lastFCntDown: 3,
    });
    expect(d?.appKey).toBe(APP_KEY);
    expect((await store.devices.get('app1', 'otaa1')).dev_addr).toBe('26011111');
  });

  it('writes counters alone, keys untouched, and only into the session they belong to', async () => {
    await abp('abp1', '260B1234');
    const sealed = () =>
      place.rows("select nwk_s_key_sealed, app_s_key_sealed from end_devices where device_id = 'abp1'");
    const before = await sealed();
    const [d] = await store.nsDevices.findByDevAddr('260B1234');
    const session = { ...d?.session, lastFCntUp: 41, lastFCntDown: 7 } as NsSession;
    expect(await store.nsDevices.saveFCntUp('app1', 'abp1', session, '2026-01-01T00:00:05.000Z')).toBe(
      'saved',
    );
    expect(await store.nsDevices.saveFCntDown('app1', 'abp1', session)).toBe('saved');
    expect((await store.nsDevices.findByDevAddr('260B1234'))[0]?.session).toEqual(session);
    expect(await sealed()).toEqual(before);
    // An uplink's write stores when the device was seen; a downlink's leaves it.
    expect((await store.devices.get('app1', 'abp1')).last_seen_at).toBe('2026-01-01T00:00:05.000Z');
    expect(await store.nsDevices.saveFCntDown('app1', 'abp1', { ...session, lastFCntDown: 8 })).toBe('saved');
    expect((await store.devices.get('app1', 'abp1')).last_seen_at).toBe('2026-01-01T00:00:05.000Z');

    // The API gives a new session: counters of the old one must not land in it.
    await store.devices.update(
      'app1',
      'abp1',
      { session: { dev_addr: '260B1234', app_s_key: NWK, f_nwk_s_int_key: APPS } },
      now,
    );
    expect(
      await store.nsDevices.saveFCntUp('app1', 'abp1', { ...session, lastFCntUp: 42 }, now.toISOString()),
    ).toBe('session_replaced');
    expect((await store.nsDevices.findByDevAddr('260B1234'))[0]?.session?.lastFCntUp).toBeUndefined();
    await store.devices.delete('app1', 'abp1');
    expect(await store.nsDevices.saveFCntDown('app1', 'abp1', session)).toBe('session_replaced');
  });

  it('moves a counter only forward, one counter per write: two instances on one database', async () => {
    // A second store on the same database is a second instance: its own cache, not told of the
    // first one's writes (as between two instances before a notice arrives; ADR 0006 point 2).
    await abp('abp1', '260B1234');
    const other = await place.open({ log: silentLogger, kek: KEK });
    try {
      const [mine] = await store.nsDevices.findByDevAddr('260B1234');
      const [theirs] = await other.nsDevices.findByDevAddr('260B1234');
      const base = mine?.session as NsSession;
      expect(theirs?.session).toEqual(base);
      const seen = '2026-01-01T00:00:05.000Z';

      // FCnt 11 lands here first; the other instance, behind, takes FCnt 10 and then 11 again.
      expect(await store.nsDevices.saveFCntUp('app1', 'abp1', { ...base, lastFCntUp: 11 }, seen)).toBe(
        'saved',
      );
      expect(await other.nsDevices.saveFCntUp('app1', 'abp1', { ...base, lastFCntUp: 10 }, seen)).toBe(
        'counter_used',
      );
      expect(await other.nsDevices.saveFCntUp('app1', 'abp1', { ...base, lastFCntUp: 11 }, seen)).toBe(
        'counter_used',
      );
      // Refused, its entry is read again: the other instance now knows FCnt 11 and takes 12.
      expect((await other.nsDevices.findByDevAddr('260B1234'))[0]?.session?.lastFCntUp).toBe(11);
      expect(await other.nsDevices.saveFCntUp('app1', 'abp1', { ...base, lastFCntUp: 12 }, seen)).toBe(
        'saved',
      );

      // A downlink counter: spent once across both; an uplink write from a stale session view
      // (FCntDown unknown there) leaves the stored FCntDown as it is.
      expect(await store.nsDevices.saveFCntDown('app1', 'abp1', { ...base, lastFCntDown: 0 })).toBe('saved');
      expect(await other.nsDevices.saveFCntDown('app1', 'abp1', { ...base, lastFCntDown: 0 })).toBe(
        'counter_used',
      );
      expect(await store.nsDevices.saveFCntUp('app1', 'abp1', { ...base, lastFCntUp: 13 }, seen)).toBe(
        'saved',
      );
      const [row] = await place.rows(
        "select last_f_cnt_up, last_f_cnt_down from end_devices where device_id = 'abp1'",
      );
      expect(row).toEqual({ last_f_cnt_up: 13, last_f_cnt_down: 0 });
    } finally {
      await other.close();
    }
  });

  it('writes the counters of one turn together: 300 devices, one twice, one with a stale session, one behind', async () => {
    const ids = Array.from({ length: 300 }, (_, i) => `abp${i}`);
    for (const [i, id] of ids.entries()) await abp(id, (0x26000000 + i).toString(16).toUpperCase());
    const sessions = await Promise.all(
      ids.map(
        async (_, i) => (await store.nsDevices.findByDevAddr((0x26000000 + i).toString(16)))[0]?.session,
      ),
    );
    const seen = now.toISOString();
    const stale = { ...sessions[7], sessionKeyId: 'not-this-session' } as NsSession;
    // All asked for in one turn of the event loop: one batch.
    const results = await Promise.all([
      ...ids.map((id, i) =>
        store.nsDevices.saveFCntUp('app1', id, { ...sessions[i], lastFCntUp: i + 5 } as NsSession, seen),
      ),
      store.nsDevices.saveFCntUp('app1', 'abp3', { ...sessions[3], lastFCntUp: 1_000 } as NsSession, seen),
      store.nsDevices.saveFCntUp('app1', 'abp7', { ...stale, lastFCntUp: 5_000 }, seen),
      // Behind the write before it in the same turn.
      store.nsDevices.saveFCntUp('app1', 'abp3', { ...sessions[3], lastFCntUp: 999 } as NsSession, seen),
    ]);
    expect(results.slice(0, 300).every((r) => r === 'saved')).toBe(true);
    expect(results.slice(300)).toEqual(['saved', 'session_replaced', 'counter_used']);
    const up = new Map(
      (await place.rows('select device_id, last_f_cnt_up from end_devices')).map((r) => [
        r.device_id,
        r.last_f_cnt_up,
      ]),
    );
    expect(up.get('abp0')).toBe(5);
    expect(up.get('abp299')).toBe(304);
    // The later of its two writes, as one statement after the other would have left it.
    expect(up.get('abp3')).toBe(1_000);
    // The stale session's write did not land.
    expect(up.get('abp7')).toBe(12);
  });

  it('keeps keys out of list/get and gives them to getKeys only', async () => {
    await otaa();
    await abp('abp1', '260B1234');
    const listed = JSON.stringify(await store.devices.list('app1'));
    for (const k of [APP_KEY, NWK, APPS]) expect(listed).not.toContain(k);
    expect(await store.devices.getKeys('app1', 'otaa1')).toEqual({ app_key: APP_KEY });
    expect((await store.devices.getKeys('app1', 'abp1')).session).toMatchObject({
      dev_addr: '260B1234',
      app_s_key: APPS,
      f_nwk_s_int_key: NWK,
    });
  });

  it('refuses to open with another KEK, at start', async () => {
    await otaa();
    await store.close();
    await expect(place.open({ log: silentLogger, kek: Buffer.alloc(32, 8) })).rejects.toSatisfy(
      (e: unknown) => kekMismatch.is(e),
    );
    store = await place.open({ log: silentLogger, kek: KEK });
    expect((await store.devices.getKeys('app1', 'otaa1')).app_key).toBe(APP_KEY);
  });
});
