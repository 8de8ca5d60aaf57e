import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENGINES, type StorePlace, storePlace } from '../../test/helpers/engines';
import { silentLogger } from '../log';
import { gatewayAlreadyExists, gatewayEuiTaken, notFoundGateway } from './errors';
import type { Store } from './ports';

const KEK = Buffer.alloc(32, 9);
let t = new Date('2026-01-01T00:00:00Z');
const clock = { now: () => t };

let place: StorePlace;
let store: Store;

const gtw1 = () =>
  store.gateways.create('gtw1', {
    eui: '00800000A00009EF',
    name: 'Roof',
    frequency_plan_id: 'EU_863_870',
    location: { latitude: 52.37, longitude: 4.89, altitude: 12 },
  });

describe.each(ENGINES)('the gateway registry (%s)', (engine) => {
  beforeEach(async () => {
    t = new Date('2026-01-01T00:00:00Z');
    place = await storePlace(engine);
    store = await place.open({ log: silentLogger, kek: KEK, clock });
  });
  afterEach(async () => {
    await store.close();
    place.dispose();
  });

  it('creates, reads, lists and finds a gateway by EUI', async () => {
    const created = await gtw1();
    expect(created).toEqual({
      gateway_id: 'gtw1',
      eui: '00800000A00009EF',
      name: 'Roof',
      frequency_plan_id: 'EU_863_870',
      location: { latitude: 52.37, longitude: 4.89, altitude: 12 },
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
    });
    expect(await store.gateways.get('gtw1')).toEqual(created);
    expect(await store.gateways.findByEui('00800000a00009ef')).toEqual(created);
    expect(await store.gateways.findByEui('0080000000000000')).toBeUndefined();
    await store.gateways.create('gtw0', { eui: '0000000000000001', frequency_plan_id: 'US_902_928_FSB_2' });
    expect((await store.gateways.list()).map((g) => g.gateway_id)).toEqual(['gtw0', 'gtw1']);
  });

  it('refuses a taken ID or EUI and writes nothing', async () => {
    await gtw1();
    const again = store.gateways.create('gtw1', { eui: '0000000000000002', frequency_plan_id: 'EU_863_870' });
    await expect(again).rejects.toSatisfy((e) => gatewayAlreadyExists.is(e));
    const sameEui = store.gateways.create('gtw2', {
      eui: '00800000A00009EF',
      frequency_plan_id: 'EU_863_870',
    });
    await expect(sameEui).rejects.toSatisfy(
      (e) => gatewayEuiTaken.is(e) && (e as Error).message.includes('gtw1'),
    );
    expect((await store.gateways.list()).map((g) => g.gateway_id)).toEqual(['gtw1']);
  });

  it('updates only the fields given, and clears the location when asked', async () => {
    await gtw1();
    t = new Date('2026-01-02T00:00:00Z');
    const renamed = await store.gateways.update('gtw1', {
      name: 'Tower',
      frequency_plan_id: 'US_902_928_FSB_2',
    });
    expect(renamed).toMatchObject({
      name: 'Tower',
      frequency_plan_id: 'US_902_928_FSB_2',
      eui: '00800000A00009EF',
      location: { latitude: 52.37, longitude: 4.89, altitude: 12 },
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-02T00:00:00.000Z',
    });
    const moved = await store.gateways.update('gtw1', { location: { latitude: -33.9, longitude: 151.2 } });
    expect(moved.location).toEqual({ latitude: -33.9, longitude: 151.2 });
    const cleared = await store.gateways.update('gtw1', { location: undefined, name: '' });
    expect(cleared.location).toBeUndefined();
    expect(cleared.name).toBeUndefined();
  });

  it('refuses an EUI held by another gateway on update, but not its own', async () => {
    await gtw1();
    await store.gateways.create('gtw2', { eui: '0000000000000002', frequency_plan_id: 'EU_863_870' });
    await expect(store.gateways.update('gtw2', { eui: '00800000A00009EF', name: 'x' })).rejects.toSatisfy(
      (e) => gatewayEuiTaken.is(e),
    );
    expect((await store.gateways.get('gtw2')).name).toBeUndefined();
    expect((await store.gateways.update('gtw1', { eui: '00800000A00009EF' })).eui).toBe('00800000A00009EF');
  });

  it('answers gateway_not_found for an unknown ID, and deletes', async () => {
    const notFound = (e: unknown) => notFoundGateway.is(e);
    await expect(store.gateways.get('nope')).rejects.toSatisfy(notFound);
    await expect(store.gateways.update('nope', { name: 'x' })).rejects.toSatisfy(notFound);
    await expect(store.gateways.delete('nope')).rejects.toSatisfy(notFound);
    await gtw1();
    await store.gateways.delete('gtw1');
    expect(await store.gateways.list()).toEqual([]);
    // The EUI is free again once its gateway is gone.
    await store.gateways.create('gtw3', { eui: '00800000A00009EF', frequency_plan_id: 'EU_863_870' });
  });

  it('lets one of two creates of the same gateway at once win; the other is told it exists', async () => {
    const results = await Promise.allSettled([gtw1(), gtw1(), gtw1()]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results)
      if (r.status === 'rejected') expect(r.reason).toSatisfy((e: unknown) => gatewayAlreadyExists.is(e));
  });

  it('keeps gateways across a reopen of the store', async () => {
    await gtw1();
    await store.close();
    store = await place.open({ log: silentLogger, kek: KEK, clock });
    expect((await store.gateways.get('gtw1')).location?.altitude).toBe(12);
  });
});
