import { afterEach, describe, expect, it } from 'vitest';
import { ENGINES, type StorePlace, storePlace } from '../../test/helpers/engines';
import { silentLogger } from '../log';
import type { HistoryRecord, Store } from './ports';

let place: StorePlace | undefined;
let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  place?.dispose();
});

const at = (ms: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, 0, ms)).toISOString();
const record = (app: string, dev: string, type: string, ms: number, n: number): HistoryRecord => ({
  applicationId: app,
  deviceId: dev,
  type,
  receivedAt: at(ms),
  message: JSON.stringify({ n }),
  correlationIds: [],
});
const ns = (rows: { deviceId: string; message: string }[]) =>
  rows.map((r) => [r.deviceId, (JSON.parse(r.message) as { n: number }).n]);

describe.each(ENGINES)('newest uplink per device (%s)', (engine) => {
  it("answers each asked device's newest uplink_message, no other type, app or device", async () => {
    place = await storePlace(engine);
    store = await place.open({
      log: silentLogger,
      history: { flushIntervalMs: 0 },
      kek: Buffer.alloc(32, 7),
    });
    const h = store.history;
    h.append(record('app1', 'a', 'uplink_message', 1, 1));
    h.append(record('app1', 'a', 'uplink_message', 3, 2));
    // Same received_at: the later write (seq) is the newer.
    h.append(record('app1', 'a', 'uplink_message', 3, 3));
    h.append(record('app1', 'a', 'downlink_ack', 9, 4));
    h.append(record('app1', 'b', 'uplink_message', 5, 5));
    h.append(record('app1', 'c', 'join_accept', 6, 6));
    h.append(record('app1', 'd', 'uplink_message', 7, 7));
    h.append(record('app2', 'b', 'uplink_message', 8, 8));
    await h.flush();

    expect(ns(await h.newestUplinks('app1', ['a', 'b', 'c', 'missing']))).toEqual([
      ['a', 3],
      ['b', 5],
    ]);
    expect(ns(await h.newestUplinks('app2', ['b', 'b']))).toEqual([['b', 8]]);
    expect(await h.newestUplinks('app1', [])).toEqual([]);
  });
});
