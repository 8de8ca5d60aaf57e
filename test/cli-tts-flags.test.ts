/**
 * Issue 15: ttn-lw-cli command lines copied from TTS's docs run against Mote's CLI. What Mote
 * uses is stored; the flags it has no use for are named on stderr; a typo is still an error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, type Caller, call } from './helpers/api';
import { mote } from './helpers/cli';
import { type RunningMote, removeDataDir, startMote } from './helpers/mote';

let server: RunningMote;
let admin: Caller;
let env: Record<string, string>;

const run = (line: string) => mote(line.trim().split(/\s+/), env);
const device = async (dev: string, mask = '') =>
  (await call(server, admin, 'GET', `/api/v3/applications/app1/devices/${dev}${mask}`)).body;

beforeAll(async () => {
  server = await startMote();
  admin = await adminSession(server);
  env = { MOTE_URL: server.url, MOTE_ADMIN_PASSWORD: server.adminPassword };
  expect((await run('applications create app1')).code).toBe(0);
});

afterAll(async () => {
  await server?.stop();
  if (server) removeDataDir(server);
});

describe('ttn-lw-cli device flags', () => {
  it("TTS's OTAA example with --app-eui, --version-ids.* and flags Mote ignores", async () => {
    const r = await run(`
      end-devices create app1 dev1
        --dev-eui 0004A30B001C0530
        --app-eui 800000000000000C
        --frequency-plan-id EU_863_870
        --root-keys.app-key.key 752BAEC23EAE7964AF27C325F4C23C9A
        --root-keys.nwk-key.key 01020304050607080102030405060708
        --lorawan-version 1.0.3
        --lorawan-phy-version 1.0.3-a
        --version-ids.brand-id the-things-industries
        --version-ids.model-id generic-node-sensor-edition
        --version-ids.hardware-version 1.0
        --version-ids.firmware-version quickstart
        --version-ids.band-id EU_863_870
        --supports-class-c
        --mac-settings.rx1-delay 5
        --description Living-room
        --defaults`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(
      'mote: ignored (Mote does not use them): --root-keys.nwk-key.key --supports-class-c --mac-settings.rx1-delay --defaults\n',
    );
    const want = {
      ids: { device_id: 'dev1', dev_eui: '0004A30B001C0530', join_eui: '800000000000000C' },
      description: 'Living-room',
      frequency_plan_id: 'EU_863_870',
      lorawan_version: 'MAC_V1_0_3',
      lorawan_phy_version: 'PHY_V1_0_3_REV_A',
      supports_join: true,
      version_ids: {
        brand_id: 'the-things-industries',
        model_id: 'generic-node-sensor-edition',
        hardware_version: '1.0',
        firmware_version: 'quickstart',
        band_id: 'EU_863_870',
      },
    };
    expect(JSON.parse(r.stdout)).toMatchObject(want);
    expect(await device('dev1', '?field_mask=root_keys')).toMatchObject({
      ...want,
      root_keys: { app_key: { key: '752BAEC23EAE7964AF27C325F4C23C9A' } },
    });
  });

  it("TTS's ABP example with the 1.0.x session keys", async () => {
    const r = await run(`
      end-devices create app1 dev2
        --frequency-plan-id EU_863_870
        --lorawan-version 1.0.3
        --lorawan-phy-version 1.0.3-a
        --abp
        --session.dev-addr 00E4304D
        --session.keys.app-s-key.key A0CAD5A30036DBE03096EB67CA975BAA
        --session.keys.f-nwk-s-int-key.key B7F3E161BC9D4388E6C788A0C547F255
        --mac-settings.resets-f-cnt
        --name Second`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('mote: ignored (Mote does not use them): --mac-settings.resets-f-cnt\n');
    expect(await device('dev2', '?field_mask=session.keys')).toMatchObject({
      name: 'Second',
      supports_join: false,
      session: {
        dev_addr: '00E4304D',
        keys: {
          app_s_key: { key: 'A0CAD5A30036DBE03096EB67CA975BAA' },
          f_nwk_s_int_key: { key: 'B7F3E161BC9D4388E6C788A0C547F255' },
        },
      },
    });
  });

  it('`end-devices set` changes just the fields named, as ttn-lw-cli', async () => {
    const r = await run('end-devices set app1 dev1 --version-ids.firmware-version 2.0 --name Kitchen');
    expect(r.code, r.stderr).toBe(0);
    expect(await device('dev1')).toMatchObject({
      name: 'Kitchen',
      description: 'Living-room',
      version_ids: {
        brand_id: 'the-things-industries',
        firmware_version: '2.0',
        band_id: 'EU_863_870',
      },
    });
    const cleared = await mote(
      ['end-devices', 'update', 'app1', 'dev1', '--version-ids.firmware-version', ''],
      env,
    );
    expect(cleared.code, cleared.stderr).toBe(0);
    expect((await device('dev1')).version_ids).not.toHaveProperty('firmware_version');
  });

  it('a flag neither Mote nor ttn-lw-cli knows is an error, and a bad value is refused; nothing changes', async () => {
    const before = await device('dev1');
    const typo = await run('end-devices create app1 dev3 --frequency-plan EU_863_870');
    expect(typo.code).not.toBe(0);
    expect(typo.stderr).toMatch(/unknown option '--frequency-plan'/);
    const bad = await run('end-devices update app1 dev1 --version-ids.brand-id Not_An_ID');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/version_ids\.brand_id.*lowercase.*HTTP 400/);
    const clash = await run(
      'end-devices update app1 dev1 --join-eui 0000000000000001 --app-eui 0000000000000002',
    );
    expect(clash.code).toBe(2);
    expect(clash.stderr).toMatch(/--join-eui and --app-eui name the same field/);
    expect(await device('dev1')).toEqual(before);
    expect((await call(server, admin, 'GET', '/api/v3/applications/app1/devices/dev3')).status).toBe(404);
  });
});
