import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENGINES, type StorePlace, storePlace } from '../../test/helpers/engines';
import { silentLogger } from '../log';
import type { Store } from './ports';

const now = new Date('2026-01-01T00:00:00Z');
const NWK = '11111111111111111111111111111111';
const APPS = '22222222222222222222222222222222';

let place: StorePlace;
let store: Store;

const identity = () => store.devices.identity('app1', 'dev1');

describe.each(ENGINES)('a device identity, for every down/push (%s)', (engine) => {
  beforeEach(async () => {
    place = await storePlace(engine);
    store = await place.open({ log: silentLogger, kek: Buffer.alloc(32, 3) });
    await store.applications.create('app1', {}, now);
    await store.devices.create(
      'app1',
      'dev1',
      { dev_eui: '0004A30B001C0530', join_eui: '70B3D57ED0000000' },
      now,
    );
  });
  afterEach(async () => {
    await store.close();
    place.dispose();
  });

  it('is what the row says after every write that changes it', async () => {
    expect(await identity()).toEqual({
      application_id: 'app1',
      device_id: 'dev1',
      dev_eui: '0004A30B001C0530',
      join_eui: '70B3D57ED0000000',
      dev_addr: null,
    });
    await store.devices.update('app1', 'dev1', { dev_eui: '0004A30B001C0531' }, now);
    expect((await identity()).dev_eui).toBe('0004A30B001C0531');
    await store.devices.setSession('app1', 'dev1', {}, { dev_addr: '26011111' });
    expect((await identity()).dev_addr).toBe('26011111');
    // A join: the network layer's session write, in a unit of work.
    await store.transaction(async (tx) => {
      await tx.nsDevices.saveSession('app1', 'dev1', {
        devAddr: '26012222',
        nwkSKey: NWK,
        appSKey: APPS,
        sessionKeyId: '01',
      });
    });
    expect((await identity()).dev_addr).toBe('26012222');
    await store.devices.delete('app1', 'dev1');
    await expect(identity()).rejects.toMatchObject({ name: 'end_device_not_found' });
  });

  it('a device created after a push found nobody is found; an application deleted takes its devices', async () => {
    await expect(store.devices.identity('app1', 'late')).rejects.toMatchObject({
      name: 'end_device_not_found',
    });
    await store.devices.create('app1', 'late', {}, now);
    expect((await store.devices.identity('app1', 'late')).device_id).toBe('late');
    await identity();
    await store.applications.delete('app1');
    await expect(identity()).rejects.toMatchObject({ name: 'end_device_not_found' });
  });

  it('a push to a device deleted after it was looked up is refused as not found, and queues nothing', async () => {
    await identity();
    const pushed = store.queue.push('app1', 'dev1', ['{"f_port":1}'], 10, now);
    const deleted = store.devices.delete('app1', 'dev1');
    const [push] = await Promise.allSettled([pushed, deleted]);
    await store.devices.create('app1', 'dev1', {}, now);
    // Never a row left for the device of that ID created next.
    expect(await store.queue.list('app1', 'dev1')).toEqual([]);
    // SQLite: the push's group commits a turn later, after the delete. PostgreSQL: either order.
    if (engine === 'sqlite')
      expect(push).toMatchObject({ status: 'rejected', reason: { name: 'end_device_not_found' } });
  });
});
