/**
 * Unauthenticated attacks on the server's edges (issue 17, items 1, 2 and 9), each from its own
 * loopback address against a real Mote, while a legitimate user on 127.0.0.1 carries on:
 * silent MQTT sockets must not lock MQTT out, a huge body must not take memory, half-sent HTTP
 * requests must not take the descriptors. The limits are set small here (the README lists their
 * defaults) so that a handful of sockets exceeds them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appWithKey } from './helpers/api';
import {
  bigBody,
  getFrom,
  loginFrom,
  mqttConnectFrom,
  mqttWsConnectFrom,
  silentMqttFlood,
  slowloris,
} from './helpers/edges';
import { type RunningMote, removeDataDir, startMote } from './helpers/mote';
import { eventually, mb, rssBytes } from './helpers/proc';

const LIMITS = {
  MOTE_MQTT_MAX_PENDING: '200',
  MOTE_MQTT_MAX_PENDING_PER_IP: '20',
  MOTE_HTTP_MAX_CONNECTIONS: '100',
  MOTE_HTTP_MAX_CONNECTIONS_PER_IP: '40',
  MOTE_HTTP_HEADERS_TIMEOUT_S: '2',
  MOTE_HTTP_REQUEST_TIMEOUT_S: '5',
};
const APP = 'edges';
const USER = '127.0.0.1';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let mote: RunningMote;
let key: string;

beforeAll(async () => {
  mote = await startMote({ env: LIMITS });
  key = await appWithKey(mote, APP, ['RIGHT_APPLICATION_ALL']);
});

afterAll(async () => {
  await mote?.stop();
  if (mote) removeDataDir(mote);
});

describe('silent MQTT sockets (item 1)', () => {
  it('a flood of sockets that never send CONNECT from 127.0.0.2 does not keep 127.0.0.1 out', async () => {
    const stop = new AbortController();
    // 300 silent sockets would fill the global pending cap (200) without a per-address cap.
    const flood = silentMqttFlood(mote, '127.0.0.2', { sockets: 300, perSecond: 150, signal: stop.signal });
    await sleep(2_000);
    const codes: number[] = [];
    for (let i = 0; i < 8; i++) {
      codes.push(await mqttConnectFrom(mote.mqttPort, USER, APP, key, `user-tcp-${i}`));
      codes.push(await mqttWsConnectFrom(mote.httpPort, USER, APP, key, `user-ws-${i}`));
      await sleep(1_000);
    }
    stop.abort();
    const stats = await flood;
    console.log(
      `silent MQTT flood: ${stats.opened} sockets opened from 127.0.0.2, ${stats.closedByServer} closed by the server; ` +
        `the user's ${codes.length} connects: ${codes.filter((c) => c === 0).length} accepted`,
    );
    expect(codes).toEqual(codes.map(() => 0));
    // The flood did reach the caps: the server closed what was past them.
    expect(stats.closedByServer).toBeGreaterThan(0);
    expect(stats.opened).toBeGreaterThan(300);
  });
});

describe('request bodies (item 2)', () => {
  it('a 300 MB chunked body gets 413 after about the limit, and memory does not grow by its size', async () => {
    const before = rssBytes(mote.pid);
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssBytes(mote.pid));
    }, 50);
    const chunked = await bigBody(mote.httpPort, '/api/auth/login', 300 * 1024 * 1024, { chunked: true });
    clearInterval(sampler);
    const after = rssBytes(mote.pid);
    console.log(
      `300 MB chunked login body: HTTP ${chunked.status} after ${mb(chunked.sent)} sent; server RSS ${mb(before)} → peak ${mb(peak)}, after ${mb(after)}`,
    );
    expect(chunked.status).toBe(413);
    expect(chunked.sent).toBeLessThan(300 * 1024 * 1024);
    expect(peak - before).toBeLessThan(100 * 1024 * 1024);
  });

  it('a declared Content-Length over the limit gets 413 before the body is read', async () => {
    const declared = await bigBody(mote.httpPort, '/api/auth/login', 300 * 1024 * 1024, { chunked: false });
    expect(declared.status).toBe(413);
    expect(declared.sent).toBeLessThan(300 * 1024 * 1024);
  });

  it('the limit holds before authentication, on every body-reading route', async () => {
    for (const path of ['/api/v3/applications', `/api/v3/applications/${APP}/api-keys`, '/api/auth/logout']) {
      const r = await bigBody(mote.httpPort, path, 5 * 1024 * 1024, { chunked: true });
      expect(r.status, path).toBe(413);
    }
    // With a valid key it is the same answer: the body is refused before the key is looked at.
    const keyed = await bigBody(mote.httpPort, '/api/v3/applications', 5 * 1024 * 1024, {
      chunked: true,
      headers: { authorization: `Bearer ${key}` },
    });
    expect(keyed.status).toBe(413);
  });

  it('a body within the limit still reaches the route', async () => {
    const ok = await loginFrom(mote.httpPort, USER, mote.adminPassword);
    expect(ok.status).toBe(200);
    const listed = await getFrom(mote.httpPort, USER, '/api/v3/applications', {
      authorization: `Bearer ${key}`,
    });
    expect(listed.status).toBe(200);
  });
});

describe('slowloris (item 9)', () => {
  it('half-sent requests from three addresses leave HTTP, /healthz and MQTT working for 127.0.0.1', async () => {
    // 3 × 60 sockets: past the per-address cap (40) and the global one (100).
    const attack = await slowloris(mote.httpPort, ['127.0.0.2', '127.0.0.3', '127.0.0.4'], {
      sockets: 60,
      everyMs: 500,
    });
    const seen: Array<[string, number]> = [];
    for (let i = 0; i < 3; i++) {
      seen.push(['healthz', (await getFrom(mote.httpPort, USER, '/healthz')).status]);
      seen.push([
        'api',
        (await getFrom(mote.httpPort, USER, '/api/v3/applications', { authorization: `Bearer ${key}` }))
          .status,
      ]);
      seen.push(['mqtt', await mqttConnectFrom(mote.mqttPort, USER, APP, key, `slow-user-${i}`)]);
      seen.push(['mqtt-ws', await mqttWsConnectFrom(mote.httpPort, USER, APP, key, `slow-user-ws-${i}`)]);
    }
    const peak = attack.peakOpen;
    // Every half-sent request is closed by the server once its headers time out.
    const allClosed = await eventually(() => attack.open() === 0, 20_000);
    attack.stop();
    console.log(
      `slowloris: ${attack.attempted} half-sent requests from 3 addresses, at most ${peak} open at once, ` +
        `${attack.closedByServer} closed by the server; the user's requests: ${seen.map(([w, s]) => `${w} ${s}`).join(', ')}`,
    );
    const expected = { healthz: 200, api: 200, mqtt: 0, 'mqtt-ws': 0 } as Record<string, number>;
    expect(seen).toEqual(seen.map(([what]) => [what, expected[what]]));
    expect(allClosed).toBe(true);
    expect(attack.closedByServer).toBe(attack.attempted);
  });
});
