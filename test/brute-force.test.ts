/**
 * Brute force (issue 7): wrong secrets are throttled per client IP — console logins answer 429
 * after MOTE_LOGIN_MAX_FAILURES (5) failures, MQTT CONNECTs 0x03 after MOTE_MQTT_MAX_FAILURES
 * (10), over TCP and WebSockets alike. The design: while an address is throttled every attempt
 * from it is refused without looking at the secret, the right one included, so guesses teach it
 * nothing; other addresses are untouched; sessions already open stay open; a success does not
 * wipe the count; once the oldest failure has left the window (MOTE_AUTH_FAILURE_WINDOW_S, 60 s)
 * the right secret is accepted again. Source addresses from 127.0.0.0/8 stand for client IPs.
 */
import { request } from 'node:http';
import { generate, type IConnackPacket, parser as mqttParser, type Packet } from 'mqtt-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { appWithKey } from './helpers/api';
import { type RunningMote, removeDataDir, startMote } from './helpers/mote';
import { connectPacket, rawClient } from './helpers/mqtt';

const LOGIN_LIMIT = 5;
const MQTT_LIMIT = 10;

let mote: RunningMote;
let key: string;
const tally = { mqttAttempts: 0, loginAttempts: 0 };

beforeAll(async () => {
  mote = await startMote();
  key = await appWithKey(mote, 'brute', ['RIGHT_APPLICATION_TRAFFIC_READ']);
});

afterAll(async () => {
  console.log(
    `brute force: ${tally.mqttAttempts} MQTT CONNECTs and ${tally.loginAttempts} console logins tried; ` +
      `throttled after ${MQTT_LIMIT} and ${LOGIN_LIMIT} failures per address`,
  );
  await mote?.stop();
  if (mote) removeDataDir(mote);
});

/** One CONNECT over TCP from `from`; the CONNACK's return code. */
async function connectFrom(target: RunningMote, from: string, password: string): Promise<number> {
  tally.mqttAttempts++;
  const c = await rawClient(target.mqttPort, 4, from);
  c.send(connectPacket('brute', password, `bf-${tally.mqttAttempts}`));
  const code = ((await c.next('connack')) as IConnackPacket).returnCode ?? -1;
  c.socket.destroy();
  return code;
}

/** One CONNECT over MQTT-over-WebSockets (`/mqtt` on the HTTP port) from `from`. */
async function connectWsFrom(target: RunningMote, from: string, password: string): Promise<number> {
  tally.mqttAttempts++;
  const ws = new WebSocket(`ws://127.0.0.1:${target.httpPort}/mqtt`, 'mqtt', { localAddress: from });
  const p = mqttParser({ protocolVersion: 4 });
  const connack = new Promise<number>((resolve, reject) => {
    p.on('packet', (packet: Packet) => {
      if (packet.cmd === 'connack') resolve(packet.returnCode ?? -1);
    });
    ws.on('message', (data: Buffer) => p.parse(data));
    ws.on('error', reject);
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  ws.send(generate(connectPacket('brute', password, `bf-ws-${tally.mqttAttempts}`)));
  const code = await connack;
  ws.terminate();
  return code;
}

async function loginFrom(
  target: RunningMote,
  from: string,
  password: string,
): Promise<{ status: number; message: string }> {
  tally.loginAttempts++;
  const body = JSON.stringify({ password });
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: target.httpPort,
        path: '/api/auth/login',
        method: 'POST',
        localAddress: from,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            message: (JSON.parse(text) as { message?: string }).message ?? '',
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const wrongKey = () => `NNSXS.${'A'.repeat(39)}.${'B'.repeat(52)}`;

describe('MQTT CONNECT', () => {
  it(`after ${MQTT_LIMIT} wrong keys from one address, every CONNECT from it gets 0x03, the right key too`, async () => {
    const ip = '127.0.0.3';
    const open = await rawClient(mote.mqttPort, 4, ip);
    open.send(connectPacket('brute', key, 'bf-open'));
    expect(((await open.next('connack')) as IConnackPacket).returnCode).toBe(0);

    const codes: number[] = [];
    for (let i = 0; i < MQTT_LIMIT; i++) codes.push(await connectFrom(mote, ip, wrongKey()));
    expect(codes).toEqual(Array(MQTT_LIMIT).fill(5));
    expect(await connectFrom(mote, ip, wrongKey())).toBe(3);
    expect(await connectFrom(mote, ip, key)).toBe(3);
    // The same address over WebSockets is refused the same way.
    expect(await connectWsFrom(mote, ip, key)).toBe(3);

    // The session that was open before stays open.
    open.send({ cmd: 'pingreq' });
    await open.next('pingresp');
    open.socket.destroy();

    // Another address is untouched: its right key works, its wrong key is plainly wrong.
    expect(await connectFrom(mote, '127.0.0.4', key)).toBe(0);
    expect(await connectFrom(mote, '127.0.0.4', wrongKey())).toBe(5);
    expect(await connectWsFrom(mote, '127.0.0.4', key)).toBe(0);
  });

  it('failures over WebSockets count too, and a success does not wipe the count', async () => {
    const ip = '127.0.0.5';
    for (let i = 0; i < MQTT_LIMIT - 1; i++) {
      const code =
        i % 2 === 0 ? await connectWsFrom(mote, ip, wrongKey()) : await connectFrom(mote, ip, wrongKey());
      expect(code).toBe(5);
    }
    expect(await connectFrom(mote, ip, key)).toBe(0);
    expect(await connectFrom(mote, ip, wrongKey())).toBe(5);
    expect(await connectFrom(mote, ip, key)).toBe(3);
  });
});

describe('console login', () => {
  it(`after ${LOGIN_LIMIT} wrong passwords from one address, it gets 429, the right password too`, async () => {
    const ip = '127.0.0.6';
    const statuses: number[] = [];
    for (let i = 0; i < LOGIN_LIMIT; i++) statuses.push((await loginFrom(mote, ip, 'wrong')).status);
    expect(statuses).toEqual(Array(LOGIN_LIMIT).fill(401));
    const refused = await loginFrom(mote, ip, mote.adminPassword);
    expect(refused.status).toBe(429);
    expect(refused.message).toMatch(/too many failed logins/);
    expect((await loginFrom(mote, '127.0.0.7', mote.adminPassword)).status).toBe(200);
    expect((await loginFrom(mote, '127.0.0.7', 'wrong')).status).toBe(401);
  });
});

describe('after the window', () => {
  it('the right secret is accepted again once the oldest failure is a window old', async () => {
    const short = await startMote({ env: { MOTE_AUTH_FAILURE_WINDOW_S: '1' } });
    try {
      const shortKey = await appWithKey(short, 'brute', ['RIGHT_APPLICATION_INFO']);
      const ip = '127.0.0.8';
      for (let i = 0; i < MQTT_LIMIT; i++) expect(await connectFrom(short, ip, wrongKey())).toBe(5);
      for (let i = 0; i < LOGIN_LIMIT; i++) expect((await loginFrom(short, ip, 'wrong')).status).toBe(401);
      // Until the window has passed the answer may be "throttled", never "wrong": poll for the end.
      const mqttSeen = new Set<number>();
      for (;;) {
        const code = await connectFrom(short, ip, shortKey);
        mqttSeen.add(code);
        if (code === 0) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      const loginSeen = new Set<number>();
      for (;;) {
        const { status } = await loginFrom(short, ip, short.adminPassword);
        loginSeen.add(status);
        if (status === 200) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect([...mqttSeen].every((c) => c === 0 || c === 3)).toBe(true);
      expect([...loginSeen].every((s) => s === 200 || s === 429)).toBe(true);
    } finally {
      await short.stop();
      removeDataDir(short);
    }
  });
});
