/**
 * docs/behaviour.md §5 over HTTP against a real server: every bad request answers 4xx naming what was wrong,
 * and the queue is exactly as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, type Caller, call } from './helpers/api';
import { type RunningMote, removeDataDir, startMote } from './helpers/mote';

let server: RunningMote;
let admin: Caller;
const dev = '/api/v3/as/applications/app1/devices/dev1';
const ok = { f_port: 15, frm_payload: 'vu8=', priority: 'NORMAL' };

type Queue = { downlinks: { f_port: number }[] };
const queue = async () =>
  (await call<Queue>(server, admin, 'GET', `${dev}/down`)).body.downlinks.map((d) => d.f_port);

beforeAll(async () => {
  server = await startMote({ env: { MOTE_QUEUE_CAPACITY: '3' } });
  admin = await adminSession(server);
  await call(server, admin, 'POST', '/api/v3/applications', {
    application: { ids: { application_id: 'app1' } },
  });
  await call(server, admin, 'POST', '/api/v3/applications/app1/devices', {
    end_device: { ids: { device_id: 'dev1', dev_eui: '4200000000000001', join_eui: '4200000000000000' } },
  });
  const first = await call(server, admin, 'POST', `${dev}/down/push`, { downlinks: [{ ...ok, f_port: 9 }] });
  expect(first.status).toBe(200);
});

afterAll(async () => {
  await server?.stop();
  if (server) removeDataDir(server);
});

describe('HTTP down/push and down/replace', () => {
  it.each([
    ['malformed JSON', '{"downlinks":[{"f_port":15,}]}', 400, /JSON/i],
    ['wrong type', { downlinks: [{ ...ok, f_port: 'x' }] }, 400, /downlinks\.0\.f_port/],
    ['bad base64', { downlinks: [{ ...ok, frm_payload: 'vu8$' }] }, 400, /downlinks\.0\.frm_payload.*base64/],
    ['f_port 0', { downlinks: [{ ...ok, f_port: 0 }] }, 400, /downlinks\.0\.f_port/],
    ['f_port 224', { downlinks: [{ ...ok, f_port: 224 }] }, 400, /downlinks\.0\.f_port.*224/],
    ['f_port 256', { downlinks: [{ ...ok, f_port: 256 }] }, 400, /downlinks\.0\.f_port/],
    [
      '256-byte payload',
      { downlinks: [{ ...ok, frm_payload: btoa('x'.repeat(256)) }] },
      400,
      /at most 242 bytes/,
    ],
    ['unknown priority', { downlinks: [{ ...ok, priority: 'URGENT' }] }, 400, /downlinks\.0\.priority/],
    [
      '101-char correlation ID',
      { downlinks: [{ ...ok, correlation_ids: ['x'.repeat(101)] }] },
      400,
      /100 characters/,
    ],
    [
      'no payload in the second item',
      { downlinks: [ok, { f_port: 1 }] },
      400,
      /neither `frm_payload` nor `decoded_payload`/,
    ],
    ['over capacity', { downlinks: [ok, ok, ok] }, 429, /queue/i],
  ])('%s → %i naming it; the queue is unchanged', async (_, body, status, message) => {
    for (const op of ['push', 'replace']) {
      const r = await call<{ message: string }>(server, admin, 'POST', `${dev}/down/${op}`, body);
      if (op === 'replace' && status === 429) {
        // Replacing with three items fits a capacity of three: not an error for replace.
        expect(r.status).toBe(200);
        await call(server, admin, 'POST', `${dev}/down/replace`, { downlinks: [{ ...ok, f_port: 9 }] });
        continue;
      }
      expect(r.status, JSON.stringify(r.body)).toBe(status);
      expect(r.body.message).toMatch(message);
      expect(await queue()).toEqual([9]);
    }
  });

  it('unknown device → 404; no key → 401; a key without TRAFFIC_DOWN_WRITE → 403', async () => {
    const ghost = await call(server, admin, 'POST', '/api/v3/as/applications/app1/devices/ghost/down/push', {
      downlinks: [ok],
    });
    expect(ghost.status).toBe(404);
    expect((await call(server, {}, 'POST', `${dev}/down/push`, { downlinks: [ok] })).status).toBe(401);
    const key = await call<{ key: string }>(server, admin, 'POST', '/api/v3/applications/app1/api-keys', {
      name: 'reader',
      rights: ['RIGHT_APPLICATION_TRAFFIC_READ'],
    });
    expect(
      (await call(server, { key: key.body.key }, 'POST', `${dev}/down/push`, { downlinks: [ok] })).status,
    ).toBe(403);
    expect(await queue()).toEqual([9]);
  });
});
