/** `mote gateways …` against a real server: output, flags and exit codes as the other commands. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, appWithKey, call } from './helpers/api';
import { mote } from './helpers/cli';
import { type RunningMote, removeDataDir, startMote } from './helpers/mote';

let server: RunningMote;
let asAdmin: Record<string, string>;

beforeAll(async () => {
  server = await startMote();
  asAdmin = { MOTE_URL: server.url, MOTE_ADMIN_PASSWORD: server.adminPassword };
});

afterAll(async () => {
  await server?.stop();
  if (server) removeDataDir(server);
});

const json = (stdout: string) => JSON.parse(stdout) as Record<string, unknown>;
const stored = async () =>
  (await call(server, await adminSession(server), 'GET', '/api/v3/gateways')).body as {
    gateways: { ids: { gateway_id: string } }[];
  };

describe('mote gateways', () => {
  it('creates a gateway with ttn-lw-cli flags and prints it as JSON', async () => {
    const r = await mote(
      [
        'gateways',
        'create',
        'gtw1',
        '--gateway-eui',
        '00800000a00009ef',
        '--frequency-plan-id',
        'EU_863_870',
        '--name',
        'Roof',
        '--location.latitude',
        '52.37',
        '--location.longitude',
        '4.89',
        '--location.altitude',
        '12',
      ],
      asAdmin,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toMatchObject({
      ids: { gateway_id: 'gtw1', eui: '00800000A00009EF' },
      name: 'Roof',
      frequency_plan_id: 'EU_863_870',
      antennas: [{ location: { latitude: 52.37, longitude: 4.89, altitude: 12 } }],
    });
  });

  it('lists and gets gateways', async () => {
    const listed = await mote(['gateways', 'list'], asAdmin);
    expect(listed.code).toBe(0);
    const ids = (json(listed.stdout).gateways as { ids: { gateway_id: string } }[]).map(
      (g) => g.ids.gateway_id,
    );
    expect(ids).toEqual(['gtw1']);
    const got = await mote(['gtw', 'get', '--gateway-id', 'gtw1'], asAdmin);
    expect(got.code).toBe(0);
    expect(json(got.stdout)).toMatchObject({ ids: { gateway_id: 'gtw1' }, name: 'Roof' });
  });

  it('updates only the fields given; one location flag keeps the other coordinates', async () => {
    const r = await mote(
      ['gateways', 'update', 'gtw1', '--name', 'Tower', '--location.altitude', '30', '--description', 'mast'],
      asAdmin,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toMatchObject({
      name: 'Tower',
      description: 'mast',
      frequency_plan_id: 'EU_863_870',
      antennas: [{ location: { latitude: 52.37, longitude: 4.89, altitude: 30 } }],
    });
    const plan = await mote(
      ['gateways', 'update', 'gtw1', '--frequency-plan-id', 'US_902_928_FSB_2'],
      asAdmin,
    );
    expect(json(plan.stdout)).toMatchObject({ name: 'Tower', frequency_plan_id: 'US_902_928_FSB_2' });
  });

  it('--unset clears the location and the description', async () => {
    const r = await mote(
      ['gateways', 'update', 'gtw1', '--unset', 'location,description', '--name', 'Mast'],
      asAdmin,
    );
    expect(r.stderr).toBe('');
    const out = json(r.stdout);
    expect(out).toMatchObject({ name: 'Mast', frequency_plan_id: 'US_902_928_FSB_2' });
    expect(out.antennas).toBeUndefined();
    expect(out.description).toBeUndefined();
    const bad = await mote(['gateways', 'update', 'gtw1', '--unset', 'colour'], asAdmin);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/`field_mask.paths.0`.*HTTP 400/);
  });

  it('exits non-zero with the API message on stderr, writing nothing', async () => {
    const before = await stored();
    const cases: [string[], RegExp][] = [
      [
        [
          'gateways',
          'create',
          'gtw2',
          '--gateway-eui',
          '00800000A00009EF',
          '--frequency-plan-id',
          'EU_863_870',
        ],
        /gateway EUI `00800000A00009EF` is already registered to gateway `gtw1`.*HTTP 409/,
      ],
      [
        [
          'gateways',
          'create',
          'gtw1',
          '--gateway-eui',
          '0000000000000001',
          '--frequency-plan-id',
          'EU_863_870',
        ],
        /gateway `gtw1` already exists.*HTTP 409/,
      ],
      [
        ['gateways', 'create', 'gtw2', '--gateway-eui', 'XYZ', '--frequency-plan-id', 'EU_863_870'],
        /`gateway.ids.eui`: must be 8 bytes of hex.*HTTP 400/,
      ],
      [
        ['gateways', 'create', 'gtw2', '--gateway-eui', '0000000000000002'],
        /`gateway.frequency_plan_id`.*HTTP 400/,
      ],
      [
        [
          'gateways',
          'create',
          'gtw2',
          '--gateway-eui',
          '0000000000000002',
          '--frequency-plan-id',
          'EU_863_870',
          '--location.latitude',
          'north',
          '--location.longitude',
          '4',
        ],
        /`gateway.antennas.0.location.latitude`.*HTTP 400/,
      ],
      [
        ['gateways', 'update', 'gtw1', '--location.latitude', '95'],
        /`gateway.antennas.0.location.latitude`.*HTTP 400/,
      ],
      [['gateways', 'get', 'nope'], /gateway `nope` not found.*HTTP 404/],
      [['gateways', 'delete', 'nope'], /gateway `nope` not found.*HTTP 404/],
    ];
    for (const [args, message] of cases) {
      const r = await mote(args, asAdmin);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
    }
    expect(await stored()).toEqual(before);
  });

  it('needs a gateway ID (exit 2) and the administrator (an API key gets 403)', async () => {
    const r = await mote(['gateways', 'get'], asAdmin);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/gateway ID is required/);
    const key = await appWithKey(server, 'gwapp', ['RIGHT_APPLICATION_ALL']);
    const denied = await mote(['gateways', 'list'], { MOTE_URL: server.url, MOTE_API_KEY: key });
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/only the console administrator may do this.*HTTP 403/);
  });

  it('deletes a gateway silently (exit 0)', async () => {
    const r = await mote(['gateways', 'delete', 'gtw1'], asAdmin);
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect((await stored()).gateways).toEqual([]);
  });
});
