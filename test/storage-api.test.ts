/**
 * The Storage Integration API against a real server (docs/behaviour.md §6.3, issue 15): every
 * parameter, `…/count`, `text/event-stream`, Go durations for `last`, and 100 000 uplinks
 * (30 000 on PostgreSQL) streamed with flat memory. History is seeded through the store before
 * the server starts. Once on SQLite, once on PostgreSQL: both read history in the same keyset
 * pages (server/store/history.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UP_TYPES } from '../lib/topics';
import type { HistoryRecord, Store } from '../server/store/ports';
import { appWithKey } from './helpers/api';
import { ENGINES } from './helpers/engines';
import type { RunningMote } from './helpers/mote';
import { rssBytes } from './helpers/proc';
import { type SeededMote, seededMote } from './helpers/seededMote';

/**
 * Uplinks in the bulk application. Fewer on PostgreSQL, for CI time (its bulk load costs about
 * four times SQLite's); 30 000 (~33 MB answered) still could not be held whole within the
 * memory bound.
 */
const BULK_OF = { sqlite: 100_000, postgres: 30_000 } as const;
let BULK = 0;
const MIN = 60_000;
// Each engine's suite runs whole (its beforeAll, tests, afterAll) before the next engine's: the
// server and keys here are the running engine's.
let served: SeededMote | undefined;
let mote: RunningMote;
let key: string;
let bulkKey: string;

function record(app: string, dev: string, type: string, body: object, at: Date, seq: number): HistoryRecord {
  const receivedAt = at.toISOString();
  const message = JSON.stringify({
    end_device_ids: { device_id: dev, application_ids: { application_id: app }, dev_eui: '70B3D57ED0000001' },
    correlation_ids: [`as:up:${seq}`],
    received_at: receivedAt,
    [type]: body,
  });
  return { applicationId: app, deviceId: dev, type, receivedAt, message, correlationIds: [`as:up:${seq}`] };
}

const uplink = (f_port: number, f_cnt: number, pad = '') => ({
  session_key_id: 'AXPoziFRvbcEguvZQoCCZw==',
  f_port,
  f_cnt,
  frm_payload: 'AQI=',
  decoded_payload: { n: f_cnt, pad },
  rx_metadata: [{ gateway_ids: { gateway_id: 'test' }, rssi: -42, snr: 9.5 }],
  settings: { data_rate: { lora: { bandwidth: 125000, spreading_factor: 7 } }, frequency: '868100000' },
});

/** `hist`: four uplinks (dev1 ×3, dev2 ×1) hours apart, then one of every other stored type. */
function histRecords(now: number): HistoryRecord[] {
  const rows = [
    record('hist', 'dev1', 'uplink_message', uplink(1, 1), new Date(now - 180 * MIN), 1),
    record('hist', 'dev1', 'uplink_message', uplink(1, 2), new Date(now - 120 * MIN), 2),
    record('hist', 'dev1', 'uplink_message', uplink(2, 3), new Date(now - 100 * MIN), 3),
    record('hist', 'dev2', 'uplink_message', uplink(1, 4), new Date(now - 30 * MIN), 4),
  ];
  const others = UP_TYPES.filter((t) => t !== 'uplink_message' && t !== 'uplink_normalized');
  others.forEach((t, i) => {
    rows.push(record('hist', 'dev1', t, { f_port: 1, f_cnt: 1 }, new Date(now - (20 - i) * MIN), 10 + i));
  });
  return rows;
}

async function seed(store: Store): Promise<void> {
  const now = Date.now();
  for (const app of ['hist', 'bulk']) await store.applications.create(app, {}, new Date(now));
  for (const dev of ['dev1', 'dev2']) await store.devices.create('hist', dev, {}, new Date(now));
  await store.devices.create('bulk', 'b1', {}, new Date(now));
  for (const r of histRecords(now)) store.history.append(r);
  // About 1 kB each, received a millisecond apart over the last two minutes.
  const pad = 'x'.repeat(600);
  for (let i = 1; i <= BULK; i++) {
    store.history.append(
      record('bulk', 'b1', 'uplink_message', uplink(1, i, pad), new Date(now - 2 * MIN + i), i),
    );
    if (i % 5000 === 0) await store.history.flush();
  }
}

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${mote.url}/api/v3/as/applications/${path}`, {
    headers: { authorization: `Bearer ${key}`, ...headers },
  });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

type Up = Record<string, Record<string, unknown>> & { uplink_message: { f_cnt: number; f_port: number } };

async function results(path: string): Promise<Up[]> {
  const r = await get(path);
  expect(r.status, r.text).toBe(200);
  return r.text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => (JSON.parse(l) as { result: Up }).result);
}

const fCnts = async (path: string) => (await results(path)).map((u) => u.uplink_message.f_cnt);

async function expect400(path: string, field: string, mentions = field) {
  const r = await get(path);
  expect(r.status, r.text).toBe(400);
  const body = JSON.parse(r.text) as { message: string; details: { attributes?: { field?: string } }[] };
  expect(body.message).toContain(mentions);
  expect(body.details[0]?.attributes?.field).toBe(field);
}

describe.each(ENGINES)('storage API (%s)', (engine) => {
  beforeAll(async () => {
    BULK = BULK_OF[engine];
    served = await seededMote(engine, seed);
    mote = served.mote;
    key = await appWithKey(mote, 'hist', ['RIGHT_APPLICATION_TRAFFIC_READ']);
    bulkKey = await appWithKey(mote, 'bulk', ['RIGHT_APPLICATION_TRAFFIC_READ']);
  }, 240_000);

  afterAll(async () => {
    await served?.dispose();
  });

  describe('storage: results', () => {
    it('returns every match, newest first by default, and `limit` caps', async () => {
      expect(await fCnts('hist/packages/storage/uplink_message')).toEqual([4, 3, 2, 1]);
      expect(await fCnts('hist/packages/storage/uplink_message?order=received_at')).toEqual([1, 2, 3, 4]);
      expect(await fCnts('hist/packages/storage/uplink_message?order=received_at&limit=2')).toEqual([1, 2]);
      expect(await fCnts('hist/devices/dev1/packages/storage/uplink_message?limit=1')).toEqual([3]);
      expect((await results('hist/packages/storage/all')).length).toBe(4 + UP_TYPES.length - 2);
    });

    it('filters uplinks by `f_port`; other types never match it', async () => {
      expect(await fCnts('hist/packages/storage/uplink_message?f_port=1&order=received_at')).toEqual([
        1, 2, 4,
      ]);
      expect(await fCnts('hist/packages/storage/all?f_port=2')).toEqual([3]);
      expect(await results('hist/packages/storage/join_accept?f_port=1')).toEqual([]);
      expect(await results('hist/packages/storage/uplink_message?f_port=0')).toEqual([]);
    });

    it('trims each result to the `field_mask` plus identifiers and received_at', async () => {
      const masks = [
        'field_mask=up.uplink_message.decoded_payload,up.uplink_message.f_port',
        'field_mask=uplink_message.decoded_payload&field_mask=uplink_message.f_port',
        'field_mask.paths=up.uplink_message.f_port&field_mask.paths=up.uplink_message.decoded_payload',
      ];
      for (const mask of masks) {
        const [first] = await results(`hist/devices/dev2/packages/storage/uplink_message?${mask}`);
        expect(first).toEqual({
          end_device_ids: {
            device_id: 'dev2',
            application_ids: { application_id: 'hist' },
            dev_eui: '70B3D57ED0000001',
          },
          received_at: expect.any(String),
          uplink_message: { f_port: 1, decoded_payload: { n: 4, pad: '' } },
        });
      }
      const [join] = await results('hist/packages/storage/join_accept?field_mask=up.uplink_message.f_port');
      expect(Object.keys(join ?? {})).toEqual(['end_device_ids', 'received_at']);
      const [whole] = await results('hist/packages/storage/join_accept?field_mask=up');
      expect(Object.keys(whole ?? {})).toEqual([
        'end_device_ids',
        'correlation_ids',
        'received_at',
        'join_accept',
      ]);
    });

    it('serves every stored type; uplink_normalized is empty; an unknown type is named in a 400', async () => {
      for (const t of UP_TYPES.filter((x) => x !== 'uplink_message' && x !== 'uplink_normalized')) {
        const rows = await results(`hist/packages/storage/${t}`);
        expect(
          rows.map((r) => Object.keys(r).at(-1)),
          t,
        ).toEqual([t]);
      }
      expect(await get('hist/packages/storage/uplink_normalized')).toMatchObject({ status: 200, text: '' });
      await expect400('hist/packages/storage/uplink_mesage', 'type', '"uplink_mesage"');
      await expect400('hist/packages/storage/bogus/count', 'type', '"bogus"');
    });

    it('refuses bad parameters with a 400 naming the field', async () => {
      const base = 'hist/packages/storage/uplink_message?';
      await expect400(`${base}f_port=256`, 'f_port');
      await expect400(`${base}f_port=one`, 'f_port');
      await expect400(`${base}limit=0`, 'limit');
      await expect400(`${base}order=newest`, 'order');
      await expect400(`${base}before=yesterday`, 'before');
      await expect400(`${base}field_mask=up.uplink_message.f_port,up.bogus`, 'field_mask', 'up.bogus');
      await expect400(`${base}field_mask=up.uplink_message.F_PORT`, 'field_mask');
    });
  });

  describe('storage: last (Go durations)', () => {
    // Uplinks were received 180, 120, 100 and 30 minutes before the server started.
    const table: [string, number][] = [
      ['300ms', 0],
      ['90.5s', 0],
      ['1h30m', 1],
      ['1.5h', 1],
      ['1h45m', 2],
      ['2h45m30s', 3],
      ['11400.5s', 4],
      ['3h30m', 4],
      ['+4h', 4],
      ['12600000ms', 4],
      ['0', 0],
    ];
    it.each(table)('last=%s → %i uplinks', async (last, n) => {
      const q = `last=${encodeURIComponent(last)}`;
      expect((await results(`hist/packages/storage/uplink_message?${q}`)).length).toBe(n);
      const counted = await get(`hist/packages/storage/uplink_message/count?${q}`);
      const count = (JSON.parse(counted.text) as { count: Record<string, number> }).count;
      expect(Object.values(count).reduce((a, b) => a + b, 0)).toBe(n);
    });

    it.each(['1d', '7d', '1h ', '1H', '.s', 'h', '', '-1h', '3000000h'])('last=%j → 400', async (last) => {
      await expect400(`hist/packages/storage/uplink_message?last=${encodeURIComponent(last)}`, 'last');
    });
  });

  describe('storage: count', () => {
    it('counts by device ID under the same filters', async () => {
      const count = async (path: string) => {
        const r = await get(path);
        expect(r.status, r.text).toBe(200);
        return JSON.parse(r.text) as unknown;
      };
      expect(await count('hist/packages/storage/uplink_message/count')).toEqual({
        count: { dev1: 3, dev2: 1 },
      });
      expect(await count('hist/packages/storage/uplink_message/count?f_port=1')).toEqual({
        count: { dev1: 2, dev2: 1 },
      });
      expect(await count('hist/devices/dev2/packages/storage/all/count')).toEqual({ count: { dev2: 1 } });
      expect(await count('hist/packages/storage/all/count')).toEqual({
        count: { dev1: 3 + UP_TYPES.length - 2, dev2: 1 },
      });
      expect(await count('hist/packages/storage/uplink_normalized/count')).toEqual({ count: {} });
      await expect400('hist/packages/storage/all/count?last=1d', 'last');
      await expect400('hist/packages/storage/all/count?f_port=-1', 'f_port');
    });
  });

  describe('storage: text/event-stream', () => {
    it('answers the same results, each followed by a blank line, as TTS does', async () => {
      const plain = await get('hist/packages/storage/all?order=received_at');
      const sse = await get('hist/packages/storage/all?order=received_at', { accept: 'text/event-stream' });
      expect(sse.status).toBe(200);
      expect(sse.type).toBe('text/event-stream');
      expect(plain.type).toBe('application/json');
      expect(sse.text.endsWith('}\n\n')).toBe(true);
      expect(sse.text.split('\n\n').filter((l) => l !== '')).toEqual(
        plain.text.split('\n').filter((l) => l !== ''),
      );
    });
  });

  describe('storage: bulk history', () => {
    it('streams every one, in order, with the server memory flat', async () => {
      const url = `${mote.url}/api/v3/as/applications/bulk/packages/storage/uplink_message?order=received_at`;
      const headers = { authorization: `Bearer ${bulkKey}` };
      // Warm up the route and its statements so the baseline is not the first request's.
      await (await fetch(`${url}&limit=2000`, { headers })).text();
      const before = rssBytes(mote.pid);
      let peak = before;
      const res = await fetch(url, { headers });
      expect(res.status).toBe(200);
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let rest = '';
      let next = 1;
      let bytes = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.length;
        const lines = (rest + decoder.decode(value, { stream: true })).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) {
          const up = (JSON.parse(line) as { result: Up }).result;
          expect(up.uplink_message.f_cnt).toBe(next++);
        }
        peak = Math.max(peak, rssBytes(mote.pid));
      }
      expect(rest).toBe('');
      expect(next - 1).toBe(BULK);
      expect(bytes).toBeGreaterThan(BULK * 900);
      // The answer is ~1 kB per uplink; held whole it would be several times that in the server.
      expect(peak - before, `RSS ${before} → ${peak}`).toBeLessThan(64 * 1024 * 1024);
      const count = await fetch(
        `${mote.url}/api/v3/as/applications/bulk/packages/storage/uplink_message/count`,
        {
          headers,
        },
      );
      expect(await count.json()).toEqual({ count: { b1: BULK } });
    }, 180_000);

    it('leaves the database free while a client pauses, and stops when it goes away', async () => {
      const base = `${mote.url}/api/v3/as/applications/bulk/packages/storage/uplink_message`;
      const headers = { authorization: `Bearer ${bulkKey}` };
      const abort = new AbortController();
      const res = await fetch(base, { headers, signal: abort.signal });
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      expect((await reader.read()).done).toBe(false);
      // The stream is mid-way and unread: other requests still get the store.
      const count = await fetch(`${base}/count?f_port=1`, { headers });
      expect(await count.json()).toEqual({ count: { b1: BULK } });
      abort.abort();
      await reader.cancel().catch(() => undefined);
      const after = await fetch(`${base}?limit=3&order=received_at`, { headers });
      expect((await after.text()).split('\n').filter((l) => l !== '').length).toBe(3);
      expect(mote.alive()).toBe(true);
    }, 60_000);
  });
});
