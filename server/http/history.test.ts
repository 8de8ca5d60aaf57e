import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type EndDeviceIds, upTypeOf } from '../../lib/messages';
import { storageQuery } from '../../lib/schemas/storage';
import { type Fixture, openFixture, withDevice } from '../../test/helpers/fixture';
import { storageUnavailable } from '../store/faults';
import type { HistoryStore, StoredUp } from '../store/ports';
import { relatedStream, storageCount, storageStream } from './historyQueries';

let f: Fixture;
let history: HistoryStore;
let ids: EndDeviceIds;
let fCnt = 0;
beforeEach(async () => {
  fCnt = 0;
  f = await openFixture();
  history = f.store.history;
  ids = { ...(await withDevice(f)), dev_addr: '01DA1F15' };
});
afterEach(async () => {
  await f.close();
});

async function uplink(acknowledged: boolean) {
  f.clock.advance(1000);
  const cids = await f.as.handleUplink(ids, { f_port: 1, f_cnt: ++fCnt }, [`ns:uplink:${fCnt}`]);
  const tx = await f.as.receiveWindow(ids, { acknowledged, dataRateIndex: 5, uplinkCorrelationIds: cids });
  if (tx) await f.as.settleWindow(ids, tx.downlink.f_cnt ?? 0, { sent: 'rx1' });
}

describe('history', () => {
  it('stores every message once and returns the related chain in order', async () => {
    await f.as.handleJoin(ids, { session_key_id: new Uint8Array([1]) }, []);
    await uplink(false);
    await f.as.downlinks.push('app1', 'dev1', [
      {
        f_port: 15,
        frm_payload: new Uint8Array([0xbe, 0xef]),
        confirmed: true,
        correlation_ids: ['my-correlation-id'],
      },
    ]);
    await uplink(false);
    await history.flush();
    await uplink(true);
    await history.flush();
    const related = async (applicationId?: string) =>
      JSON.parse(
        await new Response(await relatedStream(history, 'my-correlation-id', applicationId, 1000)).text(),
      ) as { events: { name: string; data: unknown }[] };
    const { events } = await related();
    expect(events.map((e) => e.name)).toEqual([
      'as.down.data.forward',
      'as.down.data.sent.forward',
      'as.down.data.ack.forward',
    ]);
    expect(events[2]?.data).toMatchObject({
      '@type': 'type.googleapis.com/ttn.lorawan.v3.ApplicationUp',
      downlink_ack: { f_cnt: 1 },
    });
    expect((await related('other-app')).events).toEqual([]);

    const lines = async (query: Record<string, string>, type?: 'uplink_message', deviceId?: string) => {
      const target = { applicationId: 'app1', deviceId, type };
      const body = await storageStream(history, f.clock.now(), target, storageQuery.parse(query), '\n');
      const text = await new Response(body).text();
      return text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).result);
    };
    const all = await lines({});
    expect(all.map((m) => upTypeOf(m))).toEqual([
      'downlink_ack',
      'uplink_message',
      'downlink_sent',
      'uplink_message',
      'downlink_queued',
      'uplink_message',
      'join_accept',
    ]);
    const ups = await lines({ order: 'received_at', limit: '2' }, 'uplink_message', 'dev1');
    expect(ups.map((u) => u.uplink_message.f_cnt)).toEqual([1, 2]);
    const recent = await lines({ last: '500ms' }, 'uplink_message');
    expect(recent.map((u) => u.uplink_message.f_cnt)).toEqual([3]);
    const counted = await storageCount(history, f.clock.now(), { applicationId: 'app1' }, {});
    expect(counted).toEqual({ count: { dev1: 7 } });
  });

  it('stores down/sent in the same transaction that settles the downlink in flight', async () => {
    // Crash safety (issue 7): nothing flushes here, as nothing would after a kill -9.
    await f.as.handleJoin(ids, { session_key_id: new Uint8Array([1]) }, []);
    await f.as.downlinks.push('app1', 'dev1', [
      { f_port: 1, frm_payload: new Uint8Array([1]), confirmed: true, correlation_ids: ['durable'] },
    ]);
    await uplink(false);
    const stored = async () => (await history.related('durable', { limit: 10 })).map((r) => r.type);
    expect(await stored()).toEqual(['downlink_queued', 'downlink_sent']);
    expect(await f.store.queue.list('app1', 'dev1')).toEqual([]);
    await uplink(false);
    expect(await stored()).toEqual(['downlink_queued', 'downlink_sent', 'downlink_nack', 'downlink_sent']);
    // Each message is stored once, though the bus carried it too.
    await history.flush();
    expect(await stored()).toEqual(['downlink_queued', 'downlink_sent', 'downlink_nack', 'downlink_sent']);
    expect(f.messages.filter((m) => m.correlationIds.includes('durable')).map((m) => m.event)).toEqual([
      'down/queued',
      'down/sent',
      'down/nack',
      'down/sent',
    ]);
  });

  it('finds the messages whose correlation IDs start with a prefix, each once', async () => {
    const push = (...correlation_ids: string[]) =>
      f.as.downlinks.push('app1', 'dev1', [{ f_port: 1, frm_payload: new Uint8Array([1]), correlation_ids }]);
    await push('order:17:a', 'order:17:b');
    await push('order:170');
    await push('orders');
    await history.flush();
    const related = async (id: string, prefix: boolean) => {
      const body = await relatedStream(history, id, 'app1', 1000, undefined, prefix);
      const { events } = JSON.parse(await new Response(body).text()) as {
        events: { correlation_ids: string[] }[];
      };
      return events.map((e) => e.correlation_ids.filter((c) => c.startsWith('order')));
    };
    expect(await related('order:17', true)).toEqual([['order:17:a', 'order:17:b'], ['order:170']]);
    expect(await related('order:17:', true)).toEqual([['order:17:a', 'order:17:b']]);
    // Exact by default; LIKE's wildcards are plain characters here.
    expect(await related('order:17', false)).toEqual([]);
    expect(await related('order%', true)).toEqual([]);
  });

  it('prunes by age and by row cap, with their correlation IDs', async () => {
    for (let i = 0; i < 5; i++) await uplink(false);
    await history.flush();
    f.clock.advance(7 * 86_400_000 - 1500);
    expect(await f.mote.retention.prune()).toBe(3);
    const left = await history.query({ applicationId: 'app1', order: 'asc', limit: 10 });
    expect(left.map((r) => JSON.parse(r.message).uplink_message.f_cnt)).toEqual([4, 5]);
    expect((await history.related('ns:uplink:1', { limit: 10 })).length).toBe(0);
    expect(await history.prune('1970-01-01T00:00:00.000Z', 1)).toBe(1);
  });

  it("ends a stream that fails after its first page with grpc-gateway's error chunk", async () => {
    const row: StoredUp = {
      seq: 1,
      applicationId: 'app1',
      deviceId: 'dev1',
      type: 'uplink_message',
      receivedAt: '2026-01-01T00:00:00.000Z',
      message: '{"uplink_message":{"f_port":1}}',
    };
    const failing: HistoryStore = {
      ...history,
      async *pages() {
        yield [row];
        throw storageUnavailable({ sqlite_code: 'SQLITE_IOERR', errno: 'EIO' });
      },
    };
    const body = await storageStream(
      failing,
      f.clock.now(),
      { applicationId: 'app1' },
      storageQuery.parse({}),
      '\n\n',
    );
    const chunks = (await new Response(body).text()).split('\n\n');
    expect(chunks[0]).toBe(`{"result":${row.message}}`);
    expect(JSON.parse(chunks[1] ?? '')).toMatchObject({
      error: { grpc_code: 14, http_code: 503, details: [{ name: 'storage_unavailable' }] },
    });
    expect(chunks.slice(2)).toEqual(['']);
  });
});
