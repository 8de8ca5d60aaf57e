/**
 * Device paging (issue 16 items 3 and 4) against a real server: TTS's `limit`, `page`, `order`
 * and `X-Total-Count` over 300 devices created over HTTP, Mote's `search`, refusals, and each
 * device's newest stored uplink for the console's list page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, type Caller, call } from './helpers/api';
import { type RunningMote, removeDataDir, startMote } from './helpers/mote';

let mote: RunningMote;
let admin: Caller;
const APP = 'paged';
const N = 300;
const id = (n: number) => `dev-${String(n).padStart(4, '0')}`;
const eui = (n: number) => `70B3D57ED2${n.toString(16).toUpperCase().padStart(6, '0')}`;

interface Listed {
  end_devices: { ids: { device_id: string; dev_eui?: string }; name?: string; created_at: string }[];
}

async function list(query: string) {
  const res = await fetch(`${mote.url}/api/v3/applications/${APP}/devices${query}`, {
    headers: 'cookie' in admin ? { cookie: admin.cookie } : {},
  });
  const body = (await res.json()) as Listed & { message?: string };
  return { status: res.status, total: res.headers.get('x-total-count'), body };
}
const ids = (b: Listed) => b.end_devices.map((d) => d.ids.device_id);

beforeAll(async () => {
  mote = await startMote();
  admin = await adminSession(mote);
  await call(mote, admin, 'POST', '/api/v3/applications', { application: { ids: { application_id: APP } } });
  for (let i = 0; i < N; i += 25)
    await Promise.all(
      Array.from({ length: Math.min(25, N - i) }, (_, j) =>
        call(mote, admin, 'POST', `/api/v3/applications/${APP}/devices`, {
          end_device: {
            ids: { device_id: id(i + j), dev_eui: eui(i + j), join_eui: '0000000000000000' },
            name: `Meter ${i + j}`,
          },
        }).then((r) => expect(r.status, JSON.stringify(r.body)).toBe(200)),
      ),
    );
});

afterAll(async () => {
  await mote?.stop();
  if (mote) removeDataDir(mote);
});

describe('device paging', () => {
  it('without limit lists all, ordered by ID, with the total', async () => {
    const all = await list('');
    expect(all.status).toBe(200);
    expect(all.total).toBe(String(N));
    expect(ids(all.body)).toEqual(Array.from({ length: N }, (_, n) => id(n)));
  });

  it('limit and 1-based page read one page; past the end is empty; the total stays', async () => {
    const second = await list('?limit=50&page=2');
    expect(second.total).toBe(String(N));
    expect(ids(second.body)).toEqual(Array.from({ length: 50 }, (_, n) => id(50 + n)));
    expect(ids((await list('?limit=50')).body)[0]).toBe(id(0));
    const past = await list('?limit=50&page=7');
    expect(past).toMatchObject({ status: 200, total: String(N), body: { end_devices: [] } });
  });

  it('orders by device_id, -device_id and created_at, stably', async () => {
    expect(ids((await list('?limit=3&order=-device_id')).body)).toEqual([id(299), id(298), id(297)]);
    const byCreation = (await list('?order=created_at')).body.end_devices;
    const created = byCreation.map((d) => d.created_at);
    expect(created).toEqual([...created].sort());
    // Devices created in the same millisecond keep their ID order: the same query, the same pages.
    const again = await list('?order=created_at');
    expect(ids(again.body)).toEqual(ids({ end_devices: byCreation }));
    const newest = await list('?order=-created_at&limit=1');
    expect(newest.body.end_devices[0]?.created_at).toBe(created.at(-1));
  });

  it('search matches every word in ID, name or EUI (with or without separators), paged', async () => {
    const one = await list(`?search=${eui(123).toLowerCase().match(/../g)?.join('-')}`);
    expect(one.total).toBe('1');
    expect(ids(one.body)).toEqual([id(123)]);
    // "Meter 12", "Meter 120"–"Meter 129" and any other device with a 12 in its ID or EUI.
    const words = await list('?search=meter%2012&limit=5&order=-device_id');
    expect(Number(words.total)).toBeGreaterThanOrEqual(11);
    expect(words.body.end_devices).toHaveLength(5);
    for (const d of words.body.end_devices)
      expect(`${d.ids.device_id} ${d.name} ${d.ids.dev_eui}`.toLowerCase()).toContain('12');
    expect((await list('?search=dev-001')).total).toBe('10');
    expect((await list('?search=%25')).total).toBe('0');
    expect((await list('?search=nothing-like-this')).body.end_devices).toEqual([]);
  });

  it.each([
    ['limit=abc', /`limit`: must be a whole number from 0 to 1000/],
    ['limit=1001', /`limit`: must be a whole number from 0 to 1000/],
    ['limit=10&page=0', /`page`: must be a whole number from 1/],
    ['limit=-1', /`limit`/],
    ['order=dev_addr', /`order`: must be one of device_id, -device_id, name/],
  ])('refuses %s with 400 and says why', async (query, message) => {
    const r = await list(`?${query}`);
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(message);
  });
});

describe('newest uplink per device', () => {
  it("answers the asked devices' newest uplinks only; refuses a list longer than 200", async () => {
    const up = (dev: string, b64: string) =>
      call(mote, admin, 'POST', `/api/v3/as/applications/${APP}/devices/${dev}/up/simulate`, {
        uplink_message: { f_port: 3, frm_payload: b64 },
      });
    for (const [dev, b64] of [
      [id(1), 'AQ=='],
      [id(1), 'Ag=='],
      [id(2), 'Aw=='],
      [id(3), 'BA=='],
    ] as const)
      expect((await up(dev, b64)).status).toBe(200);
    type Newest = {
      uplinks: { end_device_ids: { device_id: string }; uplink_message: { frm_payload: string } }[];
    };
    const newest = () =>
      call<Newest>(
        mote,
        admin,
        'GET',
        `/api/v3/as/applications/${APP}/newest-uplinks?device_ids=${id(1)},${id(2)},${id(9)}`,
      );
    await expect
      .poll(async () =>
        (await newest()).body.uplinks.map((u) => [u.end_device_ids.device_id, u.uplink_message.frm_payload]),
      )
      .toEqual([
        [id(1), 'Ag=='],
        [id(2), 'Aw=='],
      ]);
    const tooMany = Array.from({ length: 201 }, (_, n) => id(n)).join(',');
    const refused = await call<{ message: string }>(
      mote,
      admin,
      'GET',
      `/api/v3/as/applications/${APP}/newest-uplinks?device_ids=${tooMany}`,
    );
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/at most 200 device IDs/);
  });
});
