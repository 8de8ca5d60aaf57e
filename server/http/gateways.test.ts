/**
 * The gateway server's hook, through the route handlers in-process: every registry change names
 * the EUIs concerned, and a failing hook does not undo or fail a committed change.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as one from '../../app/api/v3/gateways/[gtw]/route';
import * as all from '../../app/api/v3/gateways/route';
import { type Fixture, openFixture } from '../../test/helpers/fixture';
import { setRuntime } from './runtime';

let f: Fixture;
let changed: string[];
let hook: (eui: string) => void;
let headers: Record<string, string>;
beforeEach(async () => {
  f = await openFixture();
  changed = [];
  hook = (eui) => void changed.push(eui);
  setRuntime({ ...f.mote, gatewaysChanged: (eui) => hook(eui) });
  const s = await f.mote.consoleAuth.login('fixture-password', '127.0.0.1');
  headers = { cookie: `mote_session=${s.sessionId}`, 'x-csrf-token': s.csrfToken };
});
afterEach(async () => {
  await f.close();
});

const send = (method: string, path: string, body?: unknown) =>
  new Request(`http://mote.test${path}`, {
    method,
    headers: { ...headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const params = (gtw: string) => ({ params: Promise.resolve({ gtw }) });
const noParams = { params: Promise.resolve({}) as Promise<Record<string, never>> };
const create = (id: string, eui: string) =>
  all.POST(
    send('POST', '/api/v3/gateways', {
      gateway: { ids: { gateway_id: id, eui }, frequency_plan_id: 'EU_863_870' },
    }),
    noParams,
  );

describe('gatewaysChanged', () => {
  it('is called with the EUI on create, both EUIs on an EUI change, and on delete', async () => {
    expect((await create('gtw1', '00800000a00009ef')).status).toBe(200);
    expect(changed).toEqual(['00800000A00009EF']);

    const renamed = await one.PUT(
      send('PUT', '/api/v3/gateways/gtw1', { gateway: { name: 'x' } }),
      params('gtw1'),
    );
    expect(renamed.status).toBe(200);
    expect(changed.slice(1)).toEqual(['00800000A00009EF']);

    const moved = await one.PUT(
      send('PUT', '/api/v3/gateways/gtw1', { gateway: { ids: { eui: '0000000000000001' } } }),
      params('gtw1'),
    );
    expect(moved.status).toBe(200);
    expect(changed.slice(2)).toEqual(['00800000A00009EF', '0000000000000001']);

    expect((await one.DELETE(send('DELETE', '/api/v3/gateways/gtw1'), params('gtw1'))).status).toBe(200);
    expect(changed.slice(4)).toEqual(['0000000000000001']);
  });

  it('is not called for a refused request', async () => {
    await create('gtw1', '00800000A00009EF');
    changed = [];
    expect((await create('gtw2', '00800000A00009EF')).status).toBe(409);
    expect((await create('gtw2', 'nope')).status).toBe(400);
    const r = await one.PUT(send('PUT', '/api/v3/gateways/none', { gateway: { name: 'x' } }), params('none'));
    expect(r.status).toBe(404);
    expect(changed).toEqual([]);
  });

  it('failing does not fail the committed change', async () => {
    hook = () => {
      throw new Error('cache gone');
    };
    expect((await create('gtw1', '00800000A00009EF')).status).toBe(200);
    expect((await f.store.gateways.get('gtw1')).eui).toBe('00800000A00009EF');
  });

  it('is optional: a runtime without it serves the registry', async () => {
    setRuntime(f.mote);
    expect((await create('gtw1', '00800000A00009EF')).status).toBe(200);
    const list = await all.GET(send('GET', '/api/v3/gateways'), noParams);
    expect(((await list.json()) as { gateways: unknown[] }).gateways).toHaveLength(1);
  });
});
