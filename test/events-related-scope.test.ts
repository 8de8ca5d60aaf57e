/**
 * `GET /events/related` inside one application (issue 16): the console names the application it
 * is in, so a correlation-ID prefix shared by another application's events does not pull those
 * in, for the admin too. Against a real server, with downlinks pushed through the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, appWithKey, type Caller, call } from './helpers/api';
import { type RunningMote, removeDataDir, startMote } from './helpers/mote';

let mote: RunningMote;
let admin: Caller;
const keys: Record<string, string> = {};
const PREFIX = 'order-77';

interface Related {
  events?: { data: { end_device_ids: { application_ids: { application_id: string } } } }[];
  message?: string;
}
const related = (who: Caller, query: string) =>
  call<Related>(mote, who, 'GET', `/api/v3/events/related?match=prefix&correlation_id=${PREFIX}${query}`);
const appsOf = (r: { body: Related }) =>
  (r.body.events ?? []).map((e) => e.data.end_device_ids.application_ids.application_id).sort();

beforeAll(async () => {
  mote = await startMote();
  admin = await adminSession(mote);
  for (const [app, eui] of [
    ['greenhouse', '70B3D57ED00000A1'],
    ['warehouse', '70B3D57ED00000B1'],
  ] as const) {
    keys[app] = await appWithKey(mote, app, ['RIGHT_APPLICATION_TRAFFIC_READ']);
    const dev = await call(mote, admin, 'POST', `/api/v3/applications/${app}/devices`, {
      end_device: { ids: { device_id: 'sensor-1', dev_eui: eui, join_eui: '0000000000000000' } },
    });
    expect(dev.status, JSON.stringify(dev.body)).toBe(200);
    // The same correlation-ID prefix in both applications.
    const pushed = await call(
      mote,
      admin,
      'POST',
      `/api/v3/as/applications/${app}/devices/sensor-1/down/push`,
      {
        downlinks: [{ f_port: 1, frm_payload: 'AQ==', correlation_ids: [`${PREFIX}:${app}`] }],
      },
    );
    expect(pushed.status, JSON.stringify(pushed.body)).toBe(200);
  }
  // History is written in batches: both stored before the checks (the hook's timeout bounds it).
  while (appsOf(await related(admin, '')).length < 2) await new Promise((r) => setTimeout(r, 50));
}, 90_000);

afterAll(async () => {
  await mote?.stop();
  if (mote) removeDataDir(mote);
});

describe('events/related with application_id', () => {
  it("gives the admin the named application's events only", async () => {
    const r = await related(admin, '&application_id=greenhouse');
    expect(r.status).toBe(200);
    expect(appsOf(r)).toEqual(['greenhouse']);
  });

  it("gives an API key its own application's events, and refuses another application", async () => {
    expect(appsOf(await related({ key: keys.warehouse ?? '' }, ''))).toEqual(['warehouse']);
    expect(appsOf(await related({ key: keys.warehouse ?? '' }, '&application_id=warehouse'))).toEqual([
      'warehouse',
    ]);
    const other = await related({ key: keys.warehouse ?? '' }, '&application_id=greenhouse');
    expect(other.status).toBe(403);
    expect(other.body.events).toBeUndefined();
  });

  it('says so for an application that does not exist or an ID that cannot be one', async () => {
    const missing = await related(admin, '&application_id=nowhere');
    expect(missing.status).toBe(404);
    expect(missing.body.message).toContain('nowhere');
    const bad = await related(admin, '&application_id=Not%20An%20ID');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('application_id');
  });
});
