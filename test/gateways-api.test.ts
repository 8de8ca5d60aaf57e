/**
 * The gateway registry over HTTP (docs/behaviour.md §6.7), against a real server: each status,
 * TTS's shapes, and that a refused request leaves what is stored as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, appWithKey, type Caller, call } from './helpers/api';
import { type RunningMote, removeDataDir, startMote } from './helpers/mote';

let mote: RunningMote;
let admin: Caller;

beforeAll(async () => {
  mote = await startMote();
  admin = await adminSession(mote);
});

afterAll(async () => {
  await mote?.stop();
  if (mote) removeDataDir(mote);
});

interface GatewayJson {
  ids: { gateway_id: string; eui: string };
  name?: string;
  description?: string;
  frequency_plan_id: string;
  antennas?: { location: { latitude: number; longitude: number; altitude?: number } }[];
  created_at: string;
  updated_at: string;
}
interface ErrorJson {
  code: number;
  message: string;
  details: { name: string; attributes?: Record<string, unknown> }[];
}

const gtw1 = {
  gateway: {
    ids: { gateway_id: 'gtw1', eui: '00800000a00009ef' },
    name: 'Roof',
    description: 'on the roof',
    frequency_plan_id: 'EU_863_870',
    antennas: [{ location: { latitude: 52.37, longitude: 4.89, altitude: 12 } }],
  },
};

const create = (body: unknown) =>
  call<GatewayJson & ErrorJson>(mote, admin, 'POST', '/api/v3/gateways', body);
const get = (id: string) => call<GatewayJson & ErrorJson>(mote, admin, 'GET', `/api/v3/gateways/${id}`);
const put = (id: string, body: unknown) =>
  call<GatewayJson & ErrorJson>(mote, admin, 'PUT', `/api/v3/gateways/${id}`, body);
const list = async () =>
  (await call<{ gateways: GatewayJson[] }>(mote, admin, 'GET', '/api/v3/gateways')).body.gateways;

describe('gateway registry API', () => {
  it('creates a gateway (200, as TTS) in TTS shape, with the EUI upper-cased, and reads and lists it', async () => {
    const r = await create(gtw1);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({
      ids: { gateway_id: 'gtw1', eui: '00800000A00009EF' },
      name: 'Roof',
      description: 'on the roof',
      frequency_plan_id: 'EU_863_870',
      antennas: [{ location: { latitude: 52.37, longitude: 4.89, altitude: 12 } }],
    });
    expect(r.body.created_at).toBe(r.body.updated_at);
    expect((await get('gtw1')).body).toEqual(r.body);
    expect(await list()).toEqual([r.body]);
  });

  it('refuses a duplicate ID (409 gateway_already_exists) and a taken EUI (409 gateway_eui_taken)', async () => {
    const before = await list();
    const dupId = await create({
      gateway: { ids: { gateway_id: 'gtw1', eui: '0000000000000001' }, frequency_plan_id: 'EU_863_870' },
    });
    expect(dupId.status).toBe(409);
    expect(dupId.body.details[0]?.name).toBe('gateway_already_exists');
    const dupEui = await create({
      gateway: {
        ids: { gateway_id: 'gtw2', eui: '00-80-00-00-A0-00-09-EF' },
        frequency_plan_id: 'EU_863_870',
      },
    });
    expect(dupEui.status).toBe(409);
    expect(dupEui.body.details[0]?.name).toBe('gateway_eui_taken');
    expect(dupEui.body.message).toContain('gtw1');
    expect(await list()).toEqual(before);
  });

  it.each([
    ['a bad ID', { ids: { gateway_id: '-gw', eui: '0000000000000002' } }, 'gateway.ids.gateway_id'],
    [
      'an ID with a double dash',
      { ids: { gateway_id: 'gw--1', eui: '0000000000000002' } },
      'gateway.ids.gateway_id',
    ],
    ['an upper-case ID', { ids: { gateway_id: 'GTW3', eui: '0000000000000002' } }, 'gateway.ids.gateway_id'],
    [
      'an ID of 37 characters',
      { ids: { gateway_id: 'g'.repeat(37), eui: '0000000000000002' } },
      'gateway.ids.gateway_id',
    ],
    ['a short EUI', { ids: { gateway_id: 'gtw3', eui: '00800000A00009' } }, 'gateway.ids.eui'],
    ['a non-hex EUI', { ids: { gateway_id: 'gtw3', eui: '00800000A00009EG' } }, 'gateway.ids.eui'],
    ['no EUI', { ids: { gateway_id: 'gtw3' } }, 'gateway.ids.eui'],
    ['an unknown plan', { frequency_plan_id: 'EU_433' }, 'gateway.frequency_plan_id'],
    ['no plan', { frequency_plan_id: undefined }, 'gateway.frequency_plan_id'],
    [
      'latitude 91',
      { antennas: [{ location: { latitude: 91, longitude: 0 } }] },
      'gateway.antennas.0.location.latitude',
    ],
    [
      'longitude -181',
      { antennas: [{ location: { latitude: 0, longitude: -181 } }] },
      'gateway.antennas.0.location.longitude',
    ],
    [
      'a string latitude',
      { antennas: [{ location: { latitude: '1', longitude: 0 } }] },
      'gateway.antennas.0.location.latitude',
    ],
    ['two antennas', { antennas: [{}, {}] }, 'gateway.antennas'],
    ['a name of 51 characters', { name: 'n'.repeat(51) }, 'gateway.name'],
  ])('refuses %s (400, the field named) and creates nothing', async (_, change, field) => {
    const before = await list();
    const gateway = {
      ids: { gateway_id: 'gtw3', eui: '0000000000000003' },
      frequency_plan_id: 'EU_863_870',
      ...change,
    };
    const r = await create({ gateway });
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    expect(r.body.details[0]?.name).toBe('invalid_field');
    expect(r.body.details[0]?.attributes?.field).toBe(field);
    expect(r.body.message).toContain(`\`${field}\``);
    expect(await list()).toEqual(before);
  });

  it('refuses a body without `gateway` and malformed JSON (400)', async () => {
    expect((await create({})).status).toBe(400);
    expect((await create('{"gateway":')).body.details[0]?.name).toBe('invalid_json');
  });

  it('updates the fields given without a mask, and only the masked paths with one', async () => {
    const created = (await get('gtw1')).body;
    const renamed = await put('gtw1', { gateway: { name: 'Tower' } });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect(renamed.body).toMatchObject({
      name: 'Tower',
      description: 'on the roof',
      antennas: created.antennas,
    });
    expect(renamed.body.created_at).toBe(created.created_at);

    // With a mask: `name` is ignored (not in the mask), `description` left out of the body is
    // cleared, the location moves.
    const masked = await put('gtw1', {
      gateway: {
        name: 'ignored',
        frequency_plan_id: 'US_902_928_FSB_2',
        antennas: [{ location: { latitude: -33.86, longitude: 151.21 } }],
      },
      field_mask: { paths: ['description', 'frequency_plan_id', 'antennas'] },
    });
    expect(masked.status, JSON.stringify(masked.body)).toBe(200);
    expect(masked.body.name).toBe('Tower');
    expect(masked.body.description).toBeUndefined();
    expect(masked.body.frequency_plan_id).toBe('US_902_928_FSB_2');
    expect(masked.body.antennas).toEqual([
      { location: { latitude: -33.86, longitude: 151.21, source: 'SOURCE_REGISTRY' } },
    ]);

    const unplaced = await put('gtw1', { gateway: {}, field_mask: { paths: ['antennas'] } });
    expect(unplaced.body.antennas).toBeUndefined();
    expect((await get('gtw1')).body).toEqual(unplaced.body);
  });

  it('changes the EUI, refusing one another gateway holds (409) with nothing written', async () => {
    expect(
      (
        await create({
          gateway: { ids: { gateway_id: 'gtw2', eui: '0000000000000002' }, frequency_plan_id: 'EU_863_870' },
        })
      ).status,
    ).toBe(200);
    const before = await list();
    const taken = await put('gtw2', { gateway: { ids: { eui: '00800000A00009EF' }, name: 'not written' } });
    expect(taken.status).toBe(409);
    expect(taken.body.details[0]?.name).toBe('gateway_eui_taken');
    expect(await list()).toEqual(before);
    const moved = await put('gtw2', { gateway: { ids: { eui: 'aa555a0000000000' } } });
    expect(moved.body.ids).toEqual({ gateway_id: 'gtw2', eui: 'AA555A0000000000' });
  });

  it.each([
    ['an unknown plan', { gateway: { frequency_plan_id: 'XX' } }, 'gateway.frequency_plan_id'],
    [
      'latitude -90.5',
      { gateway: { antennas: [{ location: { latitude: -90.5, longitude: 0 } }] } },
      'gateway.antennas.0.location.latitude',
    ],
    ['a bad EUI', { gateway: { ids: { eui: '12' } } }, 'gateway.ids.eui'],
    ['an unknown mask path', { gateway: {}, field_mask: { paths: ['location'] } }, 'field_mask.paths.0'],
    [
      'clearing the plan',
      { gateway: {}, field_mask: { paths: ['frequency_plan_id'] } },
      'gateway.frequency_plan_id',
    ],
    ['clearing the EUI', { gateway: {}, field_mask: { paths: ['ids.eui'] } }, 'gateway.ids.eui'],
    ['another gateway ID', { gateway: { ids: { gateway_id: 'gtw9' }, name: 'x' } }, 'gateway.ids.gateway_id'],
  ])('refuses an update with %s (400) and changes nothing', async (_, body, field) => {
    const before = await list();
    const r = await put('gtw1', body);
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    expect(r.body.details[0]?.attributes?.field).toBe(field);
    expect(await list()).toEqual(before);
  });

  it('answers 404 gateway_not_found for an unknown gateway', async () => {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const r = await call<ErrorJson>(
        mote,
        admin,
        method,
        '/api/v3/gateways/nope',
        method === 'PUT' ? { gateway: { name: 'x' } } : undefined,
      );
      expect(r.status, method).toBe(404);
      expect(r.body.details[0]?.name).toBe('gateway_not_found');
    }
  });

  it('is the administrator’s: an API key gets 403, no credential 401, and nothing changes', async () => {
    const key = await appWithKey(mote, 'gwapp', ['RIGHT_APPLICATION_ALL']);
    const before = await list();
    const asKey = { key };
    for (const [method, path, body] of [
      ['GET', '/api/v3/gateways', undefined],
      [
        'POST',
        '/api/v3/gateways',
        {
          gateway: { ids: { gateway_id: 'gtw5', eui: '0000000000000005' }, frequency_plan_id: 'EU_863_870' },
        },
      ],
      ['GET', '/api/v3/gateways/gtw1', undefined],
      ['PUT', '/api/v3/gateways/gtw1', { gateway: { name: 'x' } }],
      ['DELETE', '/api/v3/gateways/gtw1', undefined],
    ] as const) {
      const r = await call<ErrorJson>(mote, asKey, method, path, body);
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.body.details[0]?.name).toBe('insufficient_rights');
      expect((await call(mote, {}, method, path, body)).status).toBe(401);
    }
    expect(await list()).toEqual(before);
  });

  it('deletes a gateway (200), after which its ID and EUI are free', async () => {
    const r = await call(mote, admin, 'DELETE', '/api/v3/gateways/gtw1');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({});
    expect((await get('gtw1')).status).toBe(404);
    expect((await list()).map((g) => g.ids.gateway_id)).toEqual(['gtw2']);
    expect((await create(gtw1)).status).toBe(200);
  });

  it('keeps gateways across a restart', async () => {
    await mote.stop();
    mote = await startMote({ dataDir: mote.dataDir, adminPassword: mote.adminPassword });
    admin = await adminSession(mote);
    expect((await list()).map((g) => g.ids.gateway_id)).toEqual(['gtw1', 'gtw2']);
  });
});
