/**
 * Devices with keys (issue 12) against a real Mote: OTAA and ABP devices over HTTP and the CLI,
 * keys shown only with a field mask and READ_KEYS, written only with WRITE_KEYS, validated with
 * the field named, never in the data directory (database, WAL) or the log, and read back after a
 * restart with the same KEK — while another KEK stops Mote with a clear error.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, appWithKey, type Caller, call } from './helpers/api';
import { mote } from './helpers/cli';
import { type RunningMote, removeDataDir, startMote } from './helpers/mote';

const APP = 'keys-app';
const hex = (seed: number) =>
  Array.from({ length: 16 }, (_, i) => ((seed * 31 + i * 7) & 0xff).toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase();
const OTAA_KEY = hex(1);
const APP_S_KEY = hex(2);
const NWK_S_KEY = hex(3);
const CLI_APP_KEY = hex(4);
const CLI_APP_S_KEY = hex(5);
const CLI_NWK_S_KEY = hex(6);
const ALL_KEYS = [OTAA_KEY, APP_S_KEY, NWK_S_KEY, CLI_APP_KEY, CLI_APP_S_KEY, CLI_NWK_S_KEY];
const MASK = '?field_mask=root_keys,session.keys';

let server: RunningMote;
let admin: Caller;
let cliEnv: Record<string, string>;
const devices = `/api/v3/applications/${APP}/devices`;

interface DeviceJson {
  ids: { device_id: string; dev_eui?: string; dev_addr?: string };
  frequency_plan_id?: string;
  lorawan_version?: string;
  lorawan_phy_version?: string;
  supports_join?: boolean;
  root_keys?: { app_key: { key: string } };
  session?: { dev_addr: string; keys: { app_s_key: { key: string }; f_nwk_s_int_key: { key: string } } };
}
interface ErrorJson {
  message: string;
  details: { attributes?: { field?: string } }[];
}

const otaaBody = (id: string, appKey: string) => ({
  end_device: {
    ids: { device_id: id, dev_eui: '0004A30B001C0530', join_eui: '70B3D57ED0000000' },
    frequency_plan_id: 'EU_863_870',
    lorawan_version: 'MAC_V1_0_3',
    lorawan_phy_version: 'PHY_V1_0_3_REV_A',
    root_keys: { app_key: { key: appKey } },
  },
});
const abpBody = (id: string) => ({
  end_device: {
    ids: { device_id: id },
    frequency_plan_id: 'US_902_928_FSB_2',
    lorawan_version: '1.0.2',
    lorawan_phy_version: '1.0.2-b',
    supports_join: false,
    session: {
      dev_addr: '260B1234',
      keys: { app_s_key: { key: APP_S_KEY }, f_nwk_s_int_key: { key: NWK_S_KEY } },
    },
  },
});

beforeAll(async () => {
  server = await startMote({ env: { LOG_LEVEL: 'trace' } });
  admin = await adminSession(server);
  cliEnv = { MOTE_URL: server.url, MOTE_ADMIN_PASSWORD: server.adminPassword };
  expect(
    (
      await call(server, admin, 'POST', '/api/v3/applications', {
        application: { ids: { application_id: APP } },
      })
    ).status,
  ).toBe(200);
});

afterAll(async () => {
  await server?.stop();
  if (server) removeDataDir(server);
});

describe('devices with keys over HTTP', () => {
  it('creates an OTAA device; keys come back only with the field mask', async () => {
    const created = await call<DeviceJson>(
      server,
      admin,
      'POST',
      devices,
      otaaBody('otaa1', OTAA_KEY.toLowerCase()),
    );
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    expect(created.body).toMatchObject({
      frequency_plan_id: 'EU_863_870',
      lorawan_version: 'MAC_V1_0_3',
      lorawan_phy_version: 'PHY_V1_0_3_REV_A',
      supports_join: true,
    });
    expect(created.body.root_keys).toBeUndefined();
    expect((await call<DeviceJson>(server, admin, 'GET', `${devices}/otaa1`)).body.root_keys).toBeUndefined();
    const masked = await call<DeviceJson>(server, admin, 'GET', `${devices}/otaa1${MASK}`);
    expect(masked.status).toBe(200);
    expect(masked.body.root_keys).toEqual({ app_key: { key: OTAA_KEY } });
    expect(masked.body.session).toBeUndefined();
  });

  it('creates an ABP device with its session; versions in the CLI’s short forms', async () => {
    const created = await call<DeviceJson>(server, admin, 'POST', devices, abpBody('abp1'));
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    expect(created.body).toMatchObject({
      ids: { dev_addr: '260B1234' },
      lorawan_version: 'MAC_V1_0_2',
      lorawan_phy_version: 'PHY_V1_0_2_REV_B',
      supports_join: false,
    });
    expect(created.body.session).toBeUndefined();
    const masked = await call<DeviceJson>(server, admin, 'GET', `${devices}/abp1?field_mask=session.keys`);
    expect(masked.body.session).toMatchObject({
      dev_addr: '260B1234',
      keys: { app_s_key: { key: APP_S_KEY }, f_nwk_s_int_key: { key: NWK_S_KEY } },
    });
    expect(masked.body.root_keys).toBeUndefined();
  });

  it('never lists keys, field mask or not', async () => {
    const listed = await call(server, admin, 'GET', `${devices}${MASK}`);
    expect(listed.status).toBe(200);
    for (const k of ALL_KEYS) expect(JSON.stringify(listed.body)).not.toContain(k);
  });

  it('needs READ_KEYS to read keys and WRITE_KEYS to write them (403, nothing changed)', async () => {
    const plain = await appWithKey(server, APP, [
      'RIGHT_APPLICATION_DEVICES_READ',
      'RIGHT_APPLICATION_DEVICES_WRITE',
    ]);
    const keyed = await appWithKey(server, APP, [
      'RIGHT_APPLICATION_DEVICES_READ',
      'RIGHT_APPLICATION_DEVICES_WRITE',
      'RIGHT_APPLICATION_DEVICES_READ_KEYS',
      'RIGHT_APPLICATION_DEVICES_WRITE_KEYS',
    ]);
    expect((await call(server, { key: plain }, 'GET', `${devices}/otaa1`)).status).toBe(200);
    const refused = await call<ErrorJson>(
      server,
      { key: plain },
      'GET',
      `${devices}/otaa1?field_mask=root_keys`,
    );
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/RIGHT_APPLICATION_DEVICES_READ_KEYS/);
    expect((await call(server, { key: plain }, 'POST', devices, otaaBody('otaa2', OTAA_KEY))).status).toBe(
      403,
    );
    expect((await call(server, { key: plain }, 'GET', `${devices}/otaa2`)).status).toBe(404);
    const put = await call(server, { key: plain }, 'PUT', `${devices}/otaa1`, {
      end_device: { root_keys: { app_key: { key: hex(9) } } },
    });
    expect(put.status).toBe(403);
    const read = await call<DeviceJson>(server, { key: keyed }, 'GET', `${devices}/otaa1${MASK}`);
    expect(read.status).toBe(200);
    expect(read.body.root_keys?.app_key.key).toBe(OTAA_KEY);
    // A device without keys still changes with DEVICES_WRITE alone, as before.
    expect(
      (await call(server, { key: plain }, 'PUT', `${devices}/otaa1`, { end_device: { name: 'renamed' } }))
        .status,
    ).toBe(200);
  });

  it.each([
    ['a short key', { root_keys: { app_key: { key: '0011' } } }, 'end_device.root_keys.app_key.key'],
    [
      'a non-hex key',
      { root_keys: { app_key: { key: 'ZZ'.repeat(16) } } },
      'end_device.root_keys.app_key.key',
    ],
    ['an unknown plan', { frequency_plan_id: 'MARS_1' }, 'end_device.frequency_plan_id'],
    ['an unknown MAC version', { lorawan_version: '1.1' }, 'end_device.lorawan_version'],
    ['an unknown PHY version', { lorawan_phy_version: '9.9-z' }, 'end_device.lorawan_phy_version'],
    [
      'a session without dev_addr',
      { session: { keys: { app_s_key: { key: APP_S_KEY }, f_nwk_s_int_key: { key: NWK_S_KEY } } } },
      'end_device.session.dev_addr',
    ],
  ])('refuses %s with 400 naming the field; the stored device is unchanged', async (_, change, field) => {
    const put = await call<ErrorJson>(server, admin, 'PUT', `${devices}/otaa1`, { end_device: change });
    expect(put.status, JSON.stringify(put.body)).toBe(400);
    expect(put.body.details[0]?.attributes?.field).toBe(field);
    expect(put.body.message).toContain(field);
    const post = await call<ErrorJson>(server, admin, 'POST', devices, {
      end_device: { ...otaaBody('bad1', OTAA_KEY).end_device, ...change },
    });
    expect(post.status).toBe(400);
    expect(post.body.details[0]?.attributes?.field).toBe(field);
    expect((await call(server, admin, 'GET', `${devices}/bad1`)).status).toBe(404);
    const after = await call<DeviceJson>(server, admin, 'GET', `${devices}/otaa1${MASK}`);
    expect(after.body).toMatchObject({ frequency_plan_id: 'EU_863_870', lorawan_version: 'MAC_V1_0_3' });
    expect(after.body.root_keys?.app_key.key).toBe(OTAA_KEY);
  });

  it('refuses an ABP device without a session, naming session.dev_addr', async () => {
    const r = await call<ErrorJson>(server, admin, 'POST', devices, {
      end_device: {
        ids: { device_id: 'abp-bad' },
        frequency_plan_id: 'EU_863_870',
        lorawan_version: '1.0.3',
        supports_join: false,
      },
    });
    expect(r.status).toBe(400);
    expect(r.body.details[0]?.attributes?.field).toBe('end_device.session.dev_addr');
  });

  it('refuses an update to ABP for a device with no session, and to OTAA for one with no AppKey; nothing changes', async () => {
    const toAbp = await call<ErrorJson>(server, admin, 'PUT', `${devices}/otaa1`, {
      end_device: { supports_join: false },
    });
    expect(toAbp.status, JSON.stringify(toAbp.body)).toBe(400);
    expect(toAbp.body.details[0]?.attributes?.field).toBe('end_device.session');
    expect(toAbp.body.message).toContain('no session');
    const after = await call<DeviceJson>(server, admin, 'GET', `${devices}/otaa1${MASK}`);
    expect(after.body).toMatchObject({ supports_join: true });
    expect(after.body.root_keys?.app_key.key).toBe(OTAA_KEY);

    const plain = await call(server, admin, 'POST', devices, {
      end_device: { ids: { device_id: 'plain2', dev_eui: '4200000000000002' } },
    });
    expect(plain.status).toBe(200);
    const toOtaa = await call<ErrorJson>(server, admin, 'PUT', `${devices}/plain2`, {
      end_device: { supports_join: true },
    });
    expect(toOtaa.status).toBe(400);
    expect(toOtaa.body.details[0]?.attributes?.field).toBe('end_device.root_keys.app_key.key');
    expect(
      (await call<DeviceJson>(server, admin, 'GET', `${devices}/plain2`)).body.supports_join,
    ).toBeUndefined();
  });

  it('keeps devices without keys as they were', async () => {
    const r = await call<DeviceJson>(server, admin, 'POST', devices, {
      end_device: { ids: { device_id: 'plain1', dev_eui: '4200000000000001' } },
    });
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(['created_at', 'ids', 'updated_at']);
    expect(
      (await call<DeviceJson>(server, admin, 'GET', `${devices}/plain1${MASK}`)).body.root_keys,
    ).toBeUndefined();
  });
});

describe('devices with keys over the CLI (ttn-lw-cli flags)', () => {
  it('creates an OTAA device and reads its keys back with --root-keys', async () => {
    const args = `end-devices create ${APP} cli-otaa --dev-eui 0004A30B001C0531 --join-eui 70B3D57ED0000000 --frequency-plan-id EU_863_870 --lorawan-version 1.0.3 --lorawan-phy-version 1.0.3-a --root-keys.app-key.key ${CLI_APP_KEY}`;
    const r = await mote(args.split(' '), cliEnv);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ supports_join: true, lorawan_version: 'MAC_V1_0_3' });
    expect(r.stdout).not.toContain(CLI_APP_KEY);
    const got = await mote(['end-devices', 'get', APP, 'cli-otaa', '--root-keys'], cliEnv);
    expect(got.code, got.stderr).toBe(0);
    expect((JSON.parse(got.stdout) as DeviceJson).root_keys?.app_key.key).toBe(CLI_APP_KEY);
  });

  it('creates an ABP device and reads its session back with --session', async () => {
    const args = `end-devices create ${APP} cli-abp --frequency-plan-id EU_863_870 --lorawan-version 1.0.4 --abp --session.dev-addr 260B5678 --session.keys.app-s-key.key ${CLI_APP_S_KEY} --session.keys.f-nwk-s-int-key.key ${CLI_NWK_S_KEY}`;
    const r = await mote(args.split(' '), cliEnv);
    expect(r.code, r.stderr).toBe(0);
    const got = await mote(['end-devices', 'get', APP, 'cli-abp', '--session'], cliEnv);
    expect((JSON.parse(got.stdout) as DeviceJson).session).toMatchObject({
      dev_addr: '260B5678',
      keys: { app_s_key: { key: CLI_APP_S_KEY }, f_nwk_s_int_key: { key: CLI_NWK_S_KEY } },
    });
    const plain = await mote(['end-devices', 'get', APP, 'cli-abp'], cliEnv);
    expect(plain.stdout).not.toContain(CLI_APP_S_KEY);
  });

  it('fails clearly with a non-zero exit on bad flags', async () => {
    const base = `end-devices create ${APP} cli-bad --frequency-plan-id EU_863_870 --lorawan-version 1.0.3`;
    const short = await mote(
      `${base} --dev-eui 0004A30B001C0532 --join-eui 70B3D57ED0000000 --root-keys.app-key.key 0011`.split(
        ' ',
      ),
      cliEnv,
    );
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/root_keys\.app_key\.key.*16 bytes of hex.*HTTP 400/);
    const noAddr = await mote(`${base} --abp --session.keys.app-s-key.key ${hex(7)}`.split(' '), cliEnv);
    expect(noAddr.code).toBe(1);
    expect(noAddr.stderr).toMatch(/session\.dev_addr.*HTTP 400/);
    const both = await mote(`${base} --abp --root-keys.app-key.key ${hex(7)}`.split(' '), cliEnv);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--abp and --root-keys\.app-key\.key/);
    const version = await mote(`${base.replace('1.0.3', '2.0')}`.split(' '), cliEnv);
    expect(version.code).toBe(1);
    expect(version.stderr).toMatch(/lorawan_version/);
    expect((await mote(['end-devices', 'get', APP, 'cli-bad'], cliEnv)).code).toBe(1);
  });
});

describe('keys at rest', () => {
  const searchable = (s: string) => [s, s.toLowerCase()];

  it('are in neither the data directory (database, WAL) nor the log, and survive a restart', async () => {
    // SIGKILL keeps the WAL as it was: its bytes are searched too.
    await server.kill();
    const files = readdirSync(server.dataDir).map((f) => ({
      f,
      bytes: readFileSync(join(server.dataDir, f)),
    }));
    expect(files.map((x) => x.f)).toEqual(expect.arrayContaining(['mote.sqlite', 'mote.sqlite-wal', 'kek']));
    const log = server.output();
    const leaks: string[] = [];
    for (const key of ALL_KEYS) {
      for (const { f, bytes } of files) {
        if (bytes.includes(Buffer.from(key, 'hex'))) leaks.push(`${key} as bytes in ${f}`);
        for (const s of searchable(key)) if (bytes.includes(Buffer.from(s))) leaks.push(`${key} in ${f}`);
        if (bytes.includes(Buffer.from(Buffer.from(key, 'hex').toString('base64'))))
          leaks.push(`${key} as base64 in ${f}`);
      }
      for (const s of searchable(key)) if (log.includes(s)) leaks.push(`${key} in the log`);
    }
    console.log(
      `keys at rest: ${ALL_KEYS.length} keys searched in ${files.length} data files and ${log.split('\n').length} log lines; ${leaks.length} found`,
    );
    expect(leaks).toEqual([]);

    const kek = readFileSync(join(server.dataDir, 'kek'), 'utf8');
    server = await startMote({ dataDir: server.dataDir, adminPassword: server.adminPassword });
    admin = await adminSession(server);
    const otaa = await call<DeviceJson>(server, admin, 'GET', `${devices}/otaa1${MASK}`);
    expect(otaa.body.root_keys?.app_key.key).toBe(OTAA_KEY);
    const abp = await call<DeviceJson>(server, admin, 'GET', `${devices}/abp1${MASK}`);
    expect(abp.body.session?.keys.f_nwk_s_int_key.key).toBe(NWK_S_KEY);
    expect(readFileSync(join(server.dataDir, 'kek'), 'utf8')).toBe(kek);
  });

  it('refuses to start with another MOTE_KEK, saying why', async () => {
    await server.stop();
    const dataDir = server.dataDir;
    await expect(
      startMote({ dataDir, adminPassword: server.adminPassword, env: { MOTE_KEK: 'ab'.repeat(32) } }),
    ).rejects.toThrow(/another key-encryption key/);
    await expect(startMote({ dataDir, env: { MOTE_KEK: 'not-hex' } })).rejects.toThrow(
      /MOTE_KEK must be 64 hex digits/,
    );
    // The kek file's key given as MOTE_KEK is the same key: Mote starts and reads the keys.
    const kek = readFileSync(join(dataDir, 'kek'), 'utf8').trim();
    server = await startMote({ dataDir, adminPassword: server.adminPassword, env: { MOTE_KEK: kek } });
    admin = await adminSession(server);
    const otaa = await call<DeviceJson>(server, admin, 'GET', `${devices}/otaa1${MASK}`);
    expect(otaa.body.root_keys?.app_key.key).toBe(OTAA_KEY);
  });
});
