import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, type Caller, call } from './helpers/api';
import { mote } from './helpers/cli';
import { type RunningMote, removeDataDir, startMote } from './helpers/mote';

/**
 * Issue 16: a JoinEUI + DevEUI pair names one device, as in TTS's registry. A second device
 * with sensor-1's pair used to be created and then took its joins; now every path refuses it
 * with TTS's `end_device_euis_taken` (HTTP 409) and stores nothing.
 */
const JOIN = '70B3D57ED0000000';
const DEV = '0004A30B001C0530';

let server: RunningMote;
let admin: Caller;
let asAdmin: Record<string, string>;

const devices = (app: string) => `/api/v3/applications/${app}/devices`;
const device = (id: string, devEui = DEV) => ({
  end_device: { ids: { device_id: id, dev_eui: devEui, join_eui: JOIN } },
});
interface ErrorJson {
  code: number;
  message: string;
  details: { name: string; attributes: Record<string, string> }[];
}

beforeAll(async () => {
  server = await startMote();
  admin = await adminSession(server);
  asAdmin = { MOTE_URL: server.url, MOTE_ADMIN_PASSWORD: server.adminPassword };
  for (const app of ['app1', 'app2'])
    await call(server, admin, 'POST', '/api/v3/applications', {
      application: { ids: { application_id: app } },
    });
  expect((await call(server, admin, 'POST', devices('app1'), device('sensor-1'))).status).toBe(200);
});

afterAll(async () => {
  await server?.stop();
  if (server) removeDataDir(server);
});

describe('a JoinEUI + DevEUI pair belongs to one device', () => {
  it('HTTP: a second create is refused with 409 end_device_euis_taken, in any application', async () => {
    for (const app of ['app1', 'app2']) {
      // Lower case and dashes are the same EUI once normalized.
      const r = await call<ErrorJson>(server, admin, 'POST', devices(app), {
        end_device: { ids: { device_id: 'sensor-2', dev_eui: '00-04-a3-0b-00-1c-05-30', join_eui: JOIN } },
      });
      expect(r.status).toBe(409);
      expect(r.body.code).toBe(6);
      expect(r.body.message).toBe(
        'an end device with JoinEUI `70B3D57ED0000000` and DevEUI `0004A30B001C0530` is already registered as `sensor-1` in application `app1`',
      );
      expect(r.body.details[0]).toMatchObject({
        name: 'end_device_euis_taken',
        attributes: { join_eui: JOIN, dev_eui: DEV, device_id: 'sensor-1', application_id: 'app1' },
      });
      expect((await call(server, admin, 'GET', `${devices(app)}/sensor-2`)).status).toBe(404);
    }
  });

  it('HTTP: an update onto a taken pair is refused and changes nothing; its own pair is fine', async () => {
    expect(
      (await call(server, admin, 'POST', devices('app2'), device('sensor-3', '0004A30B001C0531'))).status,
    ).toBe(200);
    const taken = await call<ErrorJson>(server, admin, 'PUT', `${devices('app2')}/sensor-3`, {
      end_device: { ids: { dev_eui: DEV }, name: 'renamed' },
    });
    expect(taken.status).toBe(409);
    expect(taken.body.details[0]?.name).toBe('end_device_euis_taken');
    const kept = await call<{ name?: string; ids: { dev_eui: string } }>(
      server,
      admin,
      'GET',
      `${devices('app2')}/sensor-3`,
    );
    expect(kept.body.ids.dev_eui).toBe('0004A30B001C0531');
    expect(kept.body.name).toBeUndefined();
    const same = await call(server, admin, 'PUT', `${devices('app1')}/sensor-1`, {
      end_device: { ids: { dev_eui: DEV, join_eui: JOIN }, name: 'still mine' },
    });
    expect(same.status).toBe(200);
  });

  it('CLI: end-devices create with a taken pair exits non-zero with the message', async () => {
    const r = await mote(
      ['end-devices', 'create', 'app2', 'sensor-4', '--dev-eui', DEV, '--join-eui', JOIN],
      asAdmin,
    );
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/already registered as `sensor-1` in application `app1`.*HTTP 409/);
    expect((await call(server, admin, 'GET', `${devices('app2')}/sensor-4`)).status).toBe(404);
  });

  it('a deleted device gives its pair back', async () => {
    expect((await call(server, admin, 'DELETE', `${devices('app1')}/sensor-1`)).status).toBe(200);
    expect((await call(server, admin, 'POST', devices('app2'), device('sensor-5'))).status).toBe(200);
  });
});
