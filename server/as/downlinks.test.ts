import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { at } from '../../test/helpers/at';
import { ENGINES, type EngineName, fixtureDatabase } from '../../test/helpers/engines';
import { type Fixture, openFixture, withDevice } from '../../test/helpers/fixture';

let f: Fixture;
let engine: EngineName = 'sqlite';
beforeEach(async () => {
  f = await openFixture(undefined, { queueCapacity: 3, databaseUrl: await fixtureDatabase(engine) });
  await withDevice(f);
});
afterEach(() => f.close());

const push = (body: unknown, dev = 'dev1') =>
  f.receiveDownlinks(
    'app1',
    dev,
    'push',
    Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
  );
const ok = { f_port: 15, frm_payload: 'vu8=', priority: 'NORMAL' };

describe.each(ENGINES)('downlinks (%s)', (name) => {
  beforeAll(() => {
    engine = name;
  });

  describe('queue operations', () => {
    it('push appends, replace swaps, replace with [] or {} clears', async () => {
      await f.as.downlinks.push('app1', 'dev1', [{ f_port: 1, frm_payload: new Uint8Array([1]) }]);
      await push({ downlinks: [ok] });
      expect((await f.as.downlinks.list('app1', 'dev1')).map((t) => JSON.parse(t).f_port)).toEqual([1, 15]);
      await f.receiveDownlinks(
        'app1',
        'dev1',
        'replace',
        Buffer.from(JSON.stringify({ downlinks: [{ ...ok, f_port: 7 }] })),
      );
      expect((await f.as.downlinks.list('app1', 'dev1')).map((t) => JSON.parse(t).f_port)).toEqual([7]);
      await f.receiveDownlinks('app1', 'dev1', 'replace', Buffer.from('{"downlinks":[]}'));
      expect(await f.as.downlinks.list('app1', 'dev1')).toEqual([]);
      await push({ downlinks: [ok] });
      await f.receiveDownlinks('app1', 'dev1', 'replace', Buffer.from('{}'));
      expect(await f.as.downlinks.list('app1', 'dev1')).toEqual([]);
    });

    it('publishes down/queued per item with a new as:downlink ID plus the client IDs', async () => {
      await push({ downlinks: [{ ...ok, correlation_ids: ['my-correlation-id'] }, ok] });
      const queued = f.json('down/queued');
      expect(queued).toHaveLength(2);
      const cids = queued.map((q) => q.correlation_ids as string[]);
      const a = at(cids, 0);
      const b = at(cids, 1);
      expect(a).toContain('my-correlation-id');
      expect(a.filter((c) => c.startsWith('as:downlink:'))).toHaveLength(1);
      expect(b.find((c) => c.startsWith('as:downlink:'))).not.toBe(
        a.find((c) => c.startsWith('as:downlink:')),
      );
      const first = at(queued, 0);
      expect(first.downlink_queued).toMatchObject({ f_port: 15, frm_payload: 'vu8=', priority: 'NORMAL' });
      expect(first.downlink_queued.f_cnt).toBeUndefined();
      expect(first.end_device_ids).toMatchObject({ device_id: 'dev1', dev_eui: '4200000000000000' });
      expect(at(f.messages, 0).topic).toBe('v3/app1/devices/dev1/down/queued');
    });

    it('does not need the device to have joined', async () => {
      await f.as.downlinks.push('app1', 'dev1', [{ f_port: 1, frm_payload: new Uint8Array([1]) }]);
      expect(await f.as.downlinks.list('app1', 'dev1')).toHaveLength(1);
    });
  });

  describe('bad input over MQTT: queue unchanged, down/failed names the problem', () => {
    it.each([
      ['malformed JSON', '{"downlinks":[{"f_port":15,}]}', 'invalid_json', undefined],
      ['not an object', '[1]', 'invalid_field', undefined],
      ['wrong type', { downlinks: [{ ...ok, f_port: 'x' }] }, 'invalid_field', 'downlinks.0.f_port'],
      [
        'bad base64',
        { downlinks: [{ ...ok, frm_payload: 'vu8$' }] },
        'invalid_field',
        'downlinks.0.frm_payload',
      ],
      ['f_port 0', { downlinks: [{ ...ok, f_port: 0 }] }, 'invalid_field', 'downlinks.0.f_port'],
      ['f_port 224', { downlinks: [{ ...ok, f_port: 224 }] }, 'invalid_field', 'downlinks.0.f_port'],
      ['f_port 256', { downlinks: [{ ...ok, f_port: 256 }] }, 'invalid_field', 'downlinks.0.f_port'],
      [
        '256-byte payload',
        { downlinks: [{ ...ok, frm_payload: btoa('x'.repeat(256)) }] },
        'invalid_field',
        'downlinks.0.frm_payload',
      ],
      [
        'unknown priority',
        { downlinks: [{ ...ok, priority: 'URGENT' }] },
        'invalid_field',
        'downlinks.0.priority',
      ],
      [
        '101-char ID',
        { downlinks: [{ ...ok, correlation_ids: ['x'.repeat(101)] }] },
        'invalid_field',
        'downlinks.0.correlation_ids.0',
      ],
      ['no payload', { downlinks: [ok, { f_port: 1 }] }, 'no_payload', 'downlinks.1'],
      ['queue full', { downlinks: [ok, ok, ok, ok] }, 'downlink_queue_full', undefined],
    ])('%s', async (_, body, name, field) => {
      await f.as.downlinks.push('app1', 'dev1', [{ f_port: 9, frm_payload: new Uint8Array([9]) }]);
      f.messages.length = 0;
      await push(body);
      expect((await f.as.downlinks.list('app1', 'dev1')).map((t) => JSON.parse(t).f_port)).toEqual([9]);
      expect(f.messages.map((m) => m.topic)).toEqual(['v3/app1/devices/dev1/down/failed']);
      const { error } = at(f.json(), 0).downlink_failed;
      expect(error.name).toBe(name);
      expect(error.attributes?.field).toBe(field);
      expect(error.message_format).toBeTruthy();
    });

    it('unknown device → down/failed end_device_not_found on that device topic', async () => {
      await push({ downlinks: [{ ...ok, correlation_ids: ['mine'] }] }, 'ghost');
      expect(f.messages.map((m) => m.topic)).toEqual(['v3/app1/devices/ghost/down/failed']);
      const failed = at(f.json(), 0).downlink_failed;
      expect(failed.error).toMatchObject({ name: 'end_device_not_found', code: 5 });
      expect(failed.downlink.correlation_ids).toContain('mine');
    });
  });

  describe('bad input over the API: the same errors, thrown', () => {
    it('queue full → resource_exhausted, nothing written', async () => {
      const item = { f_port: 1, frm_payload: new Uint8Array([1]) };
      await f.as.downlinks.push('app1', 'dev1', [item, item]);
      await expect(f.as.downlinks.push('app1', 'dev1', [item, item])).rejects.toMatchObject({
        name: 'downlink_queue_full',
        errorClass: 'resource_exhausted',
      });
      expect(await f.as.downlinks.list('app1', 'dev1')).toHaveLength(2);
      await expect(f.as.downlinks.replace('app1', 'dev1', [item, item, item, item])).rejects.toMatchObject({
        name: 'downlink_queue_full',
      });
      expect(await f.as.downlinks.list('app1', 'dev1')).toHaveLength(2);
    });

    it('unknown device → not_found', async () => {
      await expect(
        f.as.downlinks.push('app1', 'ghost', [{ f_port: 1, frm_payload: new Uint8Array([1]) }]),
      ).rejects.toMatchObject({
        name: 'end_device_not_found',
        errorClass: 'not_found',
      });
      await expect(f.as.downlinks.list('app1', 'ghost')).rejects.toMatchObject({
        name: 'end_device_not_found',
      });
    });
  });

  describe('queue capacity', () => {
    it('the capacity counts what is queued now: taken items make room, a deleted device leaves none', async () => {
      const item = { f_port: 1, frm_payload: new Uint8Array([1]) };
      await f.as.downlinks.push('app1', 'dev1', [item, item, item]);
      await expect(f.as.downlinks.push('app1', 'dev1', [item])).rejects.toMatchObject({
        name: 'downlink_queue_full',
      });
      await f.store.queue.pop('app1', 'dev1');
      await f.as.downlinks.push('app1', 'dev1', [item]);
      await f.as.downlinks.replace('app1', 'dev1', [item]);
      await f.as.downlinks.push('app1', 'dev1', [item, item]);
      expect(await f.as.downlinks.list('app1', 'dev1')).toHaveLength(3);
      await f.store.devices.delete('app1', 'dev1');
      await withDevice(f);
      await f.as.downlinks.push('app1', 'dev1', [item, item, item]);
      expect(await f.as.downlinks.list('app1', 'dev1')).toHaveLength(3);
    });
  });

  describe('durability', () => {
    it('the queue survives closing and reopening the store', async () => {
      await push({ downlinks: [ok, { ...ok, f_port: 2, confirmed: true }] });
      const before = await f.as.downlinks.list('app1', 'dev1');
      await f.close(false);
      f = await openFixture(f.dir, { databaseUrl: f.databaseUrl });
      expect(await f.as.downlinks.list('app1', 'dev1')).toEqual(before);
      expect(JSON.parse(at(before, 1))).toMatchObject({
        f_port: 2,
        confirmed: true,
        confirmed_retry: { attempt: 1 },
      });
    });
  });
});

describe('requests handled together (sqlite)', () => {
  beforeAll(() => {
    engine = 'sqlite';
  });
  const fPorts = async (dev: string) =>
    (await f.as.downlinks.list('app1', dev)).map((t) => JSON.parse(t).f_port as number);

  it('a push to a full queue fails alone; the pushes beside it are queued, in order', async () => {
    await withDevice(f, 'app1', 'dev2', '4200000000000002');
    await f.as.downlinks.push('app1', 'dev1', [
      { f_port: 9, frm_payload: new Uint8Array([9]) },
      { f_port: 9, frm_payload: new Uint8Array([9]) },
    ]);
    f.messages.length = 0;
    // Not awaited one by one: all four reach the store in the same turn of the event loop.
    await Promise.all([
      push({ downlinks: [{ ...ok, f_port: 1 }] }, 'dev2'),
      push({ downlinks: [{ ...ok, f_port: 2, correlation_ids: ['too-many'] }, ok] }, 'dev1'),
      push({ downlinks: [{ ...ok, f_port: 3 }] }, 'dev2'),
      push({ downlinks: [{ ...ok, f_port: 4 }] }, 'dev1'),
    ]);
    expect(await fPorts('dev2')).toEqual([1, 3]);
    expect(await fPorts('dev1')).toEqual([9, 9, 4]);
    const failed = f.json('down/failed').map((m) => m.downlink_failed);
    expect(failed).toHaveLength(1);
    expect(failed[0].error.name).toBe('downlink_queue_full');
    expect(failed[0].downlink.correlation_ids).toContain('too-many');
    expect(
      f
        .json('down/queued')
        .map((m) => m.downlink_queued.f_port as number)
        .sort(),
    ).toEqual([1, 3, 4]);
  });

  it('a replace after a push in the same turn wins, as it arrived last', async () => {
    await Promise.all([
      push({ downlinks: [{ ...ok, f_port: 1 }] }),
      f.receiveDownlinks(
        'app1',
        'dev1',
        'replace',
        Buffer.from(JSON.stringify({ downlinks: [{ ...ok, f_port: 2 }] })),
      ),
      push({ downlinks: [{ ...ok, f_port: 3 }] }),
    ]);
    expect(await fPorts('dev1')).toEqual([2, 3]);
  });
});
