import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPLICATION_RIGHTS, rightFlag } from '../lib/rights';
import { call } from './helpers/api';
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

describe('mote CLI', () => {
  it("runs the seed's api-keys line with mote in place of ttn-lw-cli", async () => {
    expect((await mote(['applications', 'create', 'app1'], asAdmin)).code).toBe(0);
    // The exact line from the seed document, but for the program name.
    const line =
      'applications api-keys create --name mqtt-client --application-id app1 --right-application-traffic-read --right-application-traffic-down-write';
    const r = await mote(line.split(' '), asAdmin);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { key: string; name: string; rights: string[] };
    expect(out.key).toMatch(/^NNSXS\.[A-Z2-7]{39}\.[A-Z2-7]{52}$/);
    expect(out.name).toBe('mqtt-client');
    expect(out.rights).toEqual(['RIGHT_APPLICATION_TRAFFIC_READ', 'RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE']);
    // The printed key works against the API with exactly those rights.
    expect((await call(server, { key: out.key }, 'GET', '/api/v3/applications/app1/devices')).status).toBe(
      403,
    );
    const list = await mote(['applications', 'api-keys', 'list', '--application-id', 'app1'], {
      MOTE_URL: server.url,
      MOTE_API_KEY: out.key,
    });
    expect(list.code).not.toBe(0);
    expect(list.stderr).toMatch(/insufficient rights.*RIGHT_APPLICATION_SETTINGS_API_KEYS.*HTTP 403/);
  });

  it('--help lists every right flag', async () => {
    const r = await mote(['applications', 'api-keys', 'create', '--help'], {});
    expect(r.code).toBe(0);
    for (const right of APPLICATION_RIGHTS) expect(r.stdout).toContain(rightFlag(right));
  });

  it('round-trips applications, devices and keys', async () => {
    expect((await mote(['applications', 'create', 'app2', '--name', 'Second'], asAdmin)).code).toBe(0);
    const got = JSON.parse((await mote(['applications', 'get', 'app2'], asAdmin)).stdout) as { name: string };
    expect(got.name).toBe('Second');
    const ids = (
      JSON.parse((await mote(['applications', 'list'], asAdmin)).stdout) as {
        applications: { ids: { application_id: string } }[];
      }
    ).applications.map((a) => a.ids.application_id);
    expect(ids).toEqual(expect.arrayContaining(['app1', 'app2']));

    const dev = await mote(
      [
        'end-devices',
        'create',
        'app2',
        'dev1',
        '--dev-eui',
        '4200000000000001',
        '--join-eui',
        '4200000000000000',
      ],
      asAdmin,
    );
    expect(dev.code, dev.stderr).toBe(0);
    expect(JSON.parse(dev.stdout)).toMatchObject({ ids: { device_id: 'dev1', dev_eui: '4200000000000001' } });
    const devs = JSON.parse((await mote(['end-devices', 'list', 'app2'], asAdmin)).stdout) as {
      end_devices: unknown[];
    };
    expect(devs.end_devices).toHaveLength(1);
    expect((await mote(['end-devices', 'delete', 'app2', 'dev1'], asAdmin)).code).toBe(0);
    expect((await mote(['end-devices', 'get', 'app2', 'dev1'], asAdmin)).stderr).toMatch(
      /not found.*HTTP 404/,
    );

    const key = JSON.parse(
      (await mote(['applications', 'api-keys', 'create', 'app2', '--right-application-all'], asAdmin)).stdout,
    ) as { id: string };
    expect(
      (
        await mote(
          ['applications', 'api-keys', 'delete', '--application-id', 'app2', '--api-key-id', key.id],
          asAdmin,
        )
      ).code,
    ).toBe(0);
    const keys = JSON.parse((await mote(['applications', 'api-keys', 'list', 'app2'], asAdmin)).stdout) as {
      api_keys: unknown[];
    };
    expect(keys.api_keys).toHaveLength(0);

    expect((await mote(['applications', 'delete', 'app2'], asAdmin)).code).toBe(0);
    expect((await mote(['applications', 'get', 'app2'], asAdmin)).code).toBe(1);
  });

  it('fails with the API message and a non-zero exit on bad input', async () => {
    const bad = await mote(['applications', 'create', 'Not_Valid'], asAdmin);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/application_id.*HTTP 400/);
    const noRights = await mote(['applications', 'api-keys', 'create', '--application-id', 'app1'], asAdmin);
    expect(noRights.code).toBe(2);
    expect(noRights.stderr).toMatch(/--right-/);
    const noAuth = await mote(['applications', 'list'], { MOTE_URL: server.url });
    expect(noAuth.code).toBe(2);
    expect(noAuth.stderr).toMatch(/MOTE_API_KEY/);
    const down = await mote(['applications', 'list'], {
      MOTE_URL: 'http://127.0.0.1:9',
      MOTE_ADMIN_PASSWORD: 'x',
    });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/cannot reach Mote/);
  });
});
