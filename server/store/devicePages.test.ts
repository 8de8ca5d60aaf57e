import { afterEach, describe, expect, it } from 'vitest';
import { deviceListQuery } from '../../lib/schemas/devicePages';
import { ENGINES, type StorePlace, storePlace } from '../../test/helpers/engines';
import { silentLogger } from '../log';
import type { Store } from './ports';

let place: StorePlace | undefined;
let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  place?.dispose();
});

const q = (params: Record<string, string>) => deviceListQuery.parse(params);
const page = async (params: Record<string, string>) => {
  const r = await store!.devices.page('app1', q(params));
  return { ids: r.devices.map((d) => d.device_id), total: r.total };
};

describe.each(ENGINES)('a page of devices (%s)', (engine) => {
  it('searches words in ID, name and EUIs (dashes aside, LIKE wildcards literal), orders empty values last', async () => {
    place = await storePlace(engine);
    store = await place.open({ log: silentLogger, kek: Buffer.alloc(32, 7) });
    const now = new Date('2026-01-01T00:00:00Z');
    await store.applications.create('app1', {}, now);
    await store.devices.create('app1', 'kitchen', { name: 'Kitchen 50%' }, now);
    await store.devices.create(
      'app1',
      'b',
      { dev_eui: '0004A30B001C0530', join_eui: '0000000000000000' },
      now,
    );
    await store.devices.create('app1', 'c', { name: 'Hall' }, now);
    await store.devices.setSession('app1', 'b', {}, { last_seen_at: '2026-01-02T00:00:00Z' });
    await store.devices.setSession('app1', 'c', {}, { last_seen_at: '2026-01-03T00:00:00Z' });

    expect(await page({ search: 'KITCH 50%' })).toEqual({ ids: ['kitchen'], total: 1 });
    expect(await page({ search: '00-04-a3' })).toEqual({ ids: ['b'], total: 1 });
    expect(await page({ search: '_' })).toEqual({ ids: [], total: 0 });
    expect((await page({ order: '-last_seen_at' })).ids).toEqual(['c', 'b', 'kitchen']);
    expect((await page({ order: 'last_seen_at' })).ids).toEqual(['b', 'c', 'kitchen']);
    expect((await page({ order: 'name' })).ids).toEqual(['c', 'kitchen', 'b']);
    expect(await page({ order: '-device_id', limit: '2', page: '2' })).toEqual({ ids: ['b'], total: 3 });
  });
});
