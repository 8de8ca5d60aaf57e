/**
 * Real devices, part 2 (issue 13), end to end: several Semtech UDP gateways over real UDP in front
 * of a real Mote, as mosquitto_sub sees it. One frame heard by two gateways is one `up`, answered
 * through the strongest gateway that can transmit; strangers, garbage, replays and forged MICs
 * publish nothing, and the server keeps serving (docs/behaviour.md §9).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { call } from './helpers/api';
import { at } from './helpers/at';
import type { Received } from './helpers/mosquitto';
import { OtaaDevice } from './helpers/otaaDevice';
import {
  b64,
  createDevice,
  dataOf,
  forwarder,
  join,
  markOf,
  message,
  next,
  pull,
  push,
  pushDownlink,
  queueOf,
  type RadioSetup,
  receivedSince,
  registeredGateway,
  settled,
  since,
  startRadio,
  stopRadio,
  topicOf,
  txpkOf,
} from './helpers/radio';
import { ID, rxpkFor, type UdpGateway } from './helpers/udpGateway';

const APP = 'radio-gws';
const DEV = 'dev2';
const APP_KEY = '000102030405060708090A0B0C0D0E0F';
const DEV_EUI = '70B3D57ED0000002';
const JOIN_EUI = '70B3D57ED0000000';
const EUI = { a: 'AA555A00000000A1', b: 'AA555A00000000B2', c: 'AA555A00000000C3', d: 'AA555A00000000D4' };
const STRANGER = 'AA555A00000000FF';
const ROOF = { latitude: 52.3731, longitude: 4.8922, altitude: 12 };

let r: RadioSetup;
/** a and b pull like forwarders; c is registered but never pulls (no downlink path). */
let a: UdpGateway;
let b: UdpGateway;
let c: UdpGateway;
const device = new OtaaDevice(APP_KEY, JOIN_EUI, DEV_EUI);

const upTopic = () => topicOf(r, DEV, 'up');
const ups = (mark: number) => since(r.sub, mark, upTopic());
const fCntOf = (m: Received) => (m.json.uplink_message as { f_cnt?: number }).f_cnt ?? 0;
const payloadOf = (m: Received) => (m.json.uplink_message as { frm_payload: string }).frm_payload;
const pullResps = (gw: UdpGateway, mark: number) => receivedSince(gw, ID.PULL_RESP, mark);
const eui = (m: { gateway_ids: { eui: string } }) => m.gateway_ids.eui;
let tmst = 100_000_000;
const nextTmst = () => {
  tmst += 5_000_000;
  return tmst;
};

interface Rx {
  gateway_ids: { gateway_id: string; eui: string };
  timestamp: number;
  rssi: number;
  channel_rssi: number;
  snr: number;
  location?: Record<string, unknown>;
}

beforeAll(async () => {
  r = await startRadio(APP);
  a = await registeredGateway(r, 'gw-a', EUI.a);
  b = await registeredGateway(r, 'gw-b', EUI.b, ROOF);
  c = await registeredGateway(r, 'gw-c', EUI.c);
  await createDevice(r, DEV, { appKey: APP_KEY, devEui: DEV_EUI, joinEui: JOIN_EUI });
  await pull(a);
  await join(r, a, device, DEV);
});

afterAll(() => stopRadio(r));

beforeEach(async () => {
  await pull(a);
  await pull(b);
});

describe('several gateways', () => {
  it('one frame heard by two gateways: one up with both rx_metadata, answered through the stronger', async () => {
    const subMark = r.sub.messages.length;
    const [ma, mb] = [markOf(a), markOf(b)];
    const [ta, tb] = [nextTmst(), nextTmst() + 123];
    // Confirmed: the network answers with an ACK, so there is a downlink to route.
    const frame = device.up({ fPort: 5, payload: Buffer.of(0x61), confirmed: true });
    await Promise.all([
      push(a, frame, { tmst: ta, rssi: -110, lsnr: -6.5, freq: 868.1 }),
      // b reports the signal RSSI too (`rssis`, SX1302 concentrators).
      push(b, frame, { tmst: tb, rssi: -61, rssis: -63, lsnr: 8.25, freq: 868.1 }),
    ]);
    const up = await message(r.sub, upTopic(), subMark);
    const rx = (up.json.uplink_message as { rx_metadata: Rx[] }).rx_metadata;
    expect(rx.map(eui).sort()).toEqual([EUI.a, EUI.b]);
    expect(rx.find((m) => eui(m) === EUI.a)).toMatchObject({
      gateway_ids: { gateway_id: 'gw-a' },
      timestamp: ta,
      rssi: -110,
      snr: -6.5,
    });
    // b's position is the registry's; a has none yet.
    expect(rx.find((m) => eui(m) === EUI.a)?.location).toBeUndefined();
    expect(rx.find((m) => eui(m) === EUI.b)).toMatchObject({
      gateway_ids: { gateway_id: 'gw-b' },
      timestamp: tb,
      rssi: -63,
      channel_rssi: -61,
      snr: 8.25,
      location: { ...ROOF, source: 'SOURCE_REGISTRY' },
    });

    const resp = await next(b, ID.PULL_RESP, mb);
    expect(txpkOf(resp)).toMatchObject({ tmst: tb + 1_000_000, freq: 868.1 });
    expect(device.down(dataOf(txpkOf(resp))).fCtrl.ack).toBe(true);
    await settled(r);
    expect(ups(subMark)).toHaveLength(1);
    expect(pullResps(a, ma)).toHaveLength(0);
  });

  it('the strongest gateway that has not pulled is passed over for one that has', async () => {
    const subMark = r.sub.messages.length;
    // c reports its status (a PUSH_DATA without rxpk), as forwarders do, but never pulls.
    const statMark = markOf(c);
    await next(
      c,
      ID.PUSH_ACK,
      statMark,
      c.pushData({ stat: { rxnb: 0, rxok: 0, rxfw: 0, ackr: 0, dwnb: 0, txnb: 0 } }),
    );
    const [ma, mc] = [markOf(a), markOf(c)];
    const [ta, tc] = [nextTmst(), nextTmst()];
    const frame = device.up({ fPort: 5, payload: Buffer.of(0x62), confirmed: true });
    await Promise.all([
      push(a, frame, { tmst: ta, rssi: -100, lsnr: 0 }),
      push(c, frame, { tmst: tc, rssi: -45, lsnr: 11 }),
    ]);
    const up = await message(r.sub, upTopic(), subMark);
    const rx = (up.json.uplink_message as { rx_metadata: Rx[] }).rx_metadata;
    expect(rx.map(eui).sort()).toEqual([EUI.a, EUI.c]);
    const resp = await next(a, ID.PULL_RESP, ma);
    expect(txpkOf(resp).tmst).toBe(ta + 1_000_000);
    device.down(dataOf(txpkOf(resp)));
    await settled(r);
    expect(pullResps(c, mc)).toHaveLength(0);
  });
});

describe('MAC commands', () => {
  it('LinkCheckReq heard by two gateways: LinkCheckAns counts both; DeviceTimeReq: DeviceTimeAns', async () => {
    const mb = markOf(b);
    const frame = device.up({
      fPort: 5,
      payload: Buffer.of(0x20),
      mac: [{ name: 'LinkCheckReq' }, { name: 'DeviceTimeReq' }],
    });
    const before = Date.now();
    await Promise.all([
      push(a, frame, { tmst: nextTmst(), lsnr: -2, datr: 'SF7BW125' }),
      push(b, frame, { tmst: nextTmst(), lsnr: 3, datr: 'SF7BW125' }),
    ]);
    const down = device.down(dataOf(txpkOf(await next(b, ID.PULL_RESP, mb))));
    // §5.1: the margin above SF7's demodulation floor (−7.5 dB) of the best SNR, 3 dB.
    expect(down.macCommands.commands).toContainEqual({ name: 'LinkCheckAns', margin: 10, gatewayCount: 2 });
    const time = down.macCommands.commands.find((c) => c.name === 'DeviceTimeAns');
    // §5.9: GPS seconds (epoch 1980-01-06, 18 leap seconds ahead of UTC), around when it was sent.
    const gpsNow = (ms: number) => Math.floor((ms - Date.UTC(1980, 0, 6)) / 1000) + 18;
    expect(time && 'gpsSeconds' in time ? time.gpsSeconds : -1).toBeGreaterThanOrEqual(gpsNow(before) - 1);
    expect(time && 'gpsSeconds' in time ? time.gpsSeconds : Infinity).toBeLessThanOrEqual(
      gpsNow(Date.now()) + 1,
    );
  });
});

describe('no downlink path', () => {
  it('a frame heard only by a gateway that never pulled: up published, the downlink waits in the queue', async () => {
    await pushDownlink(r, DEV, [{ f_port: 30, frm_payload: b64([30]) }]);
    const subMark = r.sub.messages.length;
    const mc = markOf(c);
    await push(c, device.up({ fPort: 5, payload: Buffer.of(0x50) }));
    await message(r.sub, upTopic(), subMark);
    await settled(r);
    expect(pullResps(c, mc)).toHaveLength(0);
    expect(since(r.sub, subMark, topicOf(r, DEV, 'down/sent'))).toHaveLength(0);
    expect(await queueOf(r, DEV)).toMatchObject([{ f_port: 30 }]);

    const ma = markOf(a);
    await push(a, device.up({ fPort: 5, payload: Buffer.of(0x51) }));
    const down = device.down(dataOf(txpkOf(await next(a, ID.PULL_RESP, ma))));
    expect(down).toMatchObject({ fPort: 30 });
    await message(r.sub, topicOf(r, DEV, 'down/sent'), subMark);
    expect(await queueOf(r, DEV)).toEqual([]);
  });
});

describe('what a packet forwarder sends', () => {
  it('a PUSH_DATA with two rxpk and a stat: both frames published, in order', async () => {
    const subMark = r.sub.messages.length;
    const first = device.up({ fPort: 5, payload: Buffer.of(0x41) });
    const second = device.up({ fPort: 5, payload: Buffer.of(0x42) });
    const mark = markOf(a);
    const token = a.pushData({
      rxpk: [rxpkFor(first, { tmst: nextTmst() }), rxpkFor(second, { tmst: nextTmst(), stat: 0 })],
      // a has a GPS fix: its reported position goes with its frames (no registry location).
      stat: {
        time: '2026-12-02 08:00:00 GMT',
        lati: 52.09,
        long: 5.12,
        alti: 4,
        rxnb: 2,
        rxok: 2,
        rxfw: 2,
        ackr: 100,
        dwnb: 0,
        txnb: 0,
      },
    });
    await next(a, ID.PUSH_ACK, mark, token);
    await message(r.sub, upTopic(), subMark, (m) => payloadOf(m) === 'Qg==');
    expect(ups(subMark).map(payloadOf)).toEqual(['QQ==', 'Qg==']);
    for (const up of ups(subMark))
      expect((up.json.uplink_message as { rx_metadata: Rx[] }).rx_metadata[0]?.location).toEqual({
        latitude: 52.09,
        longitude: 5.12,
        altitude: 4,
        source: 'SOURCE_GPS',
      });
  });

  it('PULL_RESP goes where PULL_DATA came from: a forwarder with separate up and down sockets', async () => {
    // The reference packet forwarder sends PUSH_DATA and PULL_DATA from two sockets (two ports).
    const upSocket = await forwarder(r, EUI.b);
    const mark = markOf(b);
    const subMark = r.sub.messages.length;
    const at = nextTmst();
    await push(upSocket, device.up({ fPort: 5, payload: Buffer.of(0x43), confirmed: true }), { tmst: at });
    const resp = await next(b, ID.PULL_RESP, mark);
    expect(txpkOf(resp).tmst).toBe(at + 1_000_000);
    expect(device.down(dataOf(txpkOf(resp))).fCtrl.ack).toBe(true);
    await message(r.sub, upTopic(), subMark);
    expect(upSocket.of(ID.PULL_RESP)).toHaveLength(0);
  });
});

describe('what is not published', () => {
  it('an unregistered gateway gets PUSH_ACK, and its frames reach no one', async () => {
    const stranger = await forwarder(r, STRANGER);
    // A stranger's PULL_DATA is answered too (a forwarder must not back off).
    await pull(stranger);
    const subMark = r.sub.messages.length;
    // The same frame from the stranger (stronger) and from a registered gateway: only the latter counts.
    const frame = device.up({ fPort: 5, payload: Buffer.of(0x70) });
    await push(stranger, frame, { rssi: -30, lsnr: 12 });
    await push(a, frame, { rssi: -90, lsnr: 1 });
    const up = await message(r.sub, upTopic(), subMark);
    const rx = (up.json.uplink_message as { rx_metadata: Rx[] }).rx_metadata;
    expect(rx.map(eui)).toEqual([EUI.a]);

    // A frame only the stranger heard, then the next one heard by a registered gateway.
    const strangers = device.up({ fPort: 5, payload: Buffer.of(0x71) });
    await push(stranger, strangers);
    await push(a, device.up({ fPort: 5, payload: Buffer.of(0x72) }));
    await message(r.sub, upTopic(), subMark, (m) => payloadOf(m) === 'cg==');
    await settled(r);
    expect(ups(subMark).map(payloadOf)).toEqual(['cA==', 'cg==']);
    expect(pullResps(stranger, 0)).toHaveLength(0);

    // Registered through the API, its very next frame counts (the cached miss is dropped).
    const created = await call(r.mote, r.admin, 'POST', '/api/v3/gateways', {
      gateway: {
        ids: { gateway_id: 'gw-new', eui: STRANGER.toLowerCase() },
        frequency_plan_id: 'EU_863_870',
      },
    });
    expect(created.status).toBe(200);
    const after = r.sub.messages.length;
    await push(stranger, device.up({ fPort: 5, payload: Buffer.of(0x73) }));
    const now = await message(r.sub, upTopic(), after);
    expect((now.json.uplink_message as { rx_metadata: Rx[] }).rx_metadata).toMatchObject([
      { gateway_ids: { gateway_id: 'gw-new', eui: STRANGER } },
    ]);
  });

  it('garbage datagrams get no reply, publish nothing, and the server still answers a good PUSH_DATA', async () => {
    // Registered with the EUI in lower case, as a user may type it.
    const junk = await registeredGateway(r, 'gw-d', EUI.d.toLowerCase());
    const mark = markOf(junk);
    const subMark = r.sub.messages.length;
    const head = (id: number, version = 2) => Buffer.from([version, 0x12, 0x34, id]);
    const euiBytes = Buffer.from(EUI.d, 'hex');
    // Random bytes, but never with version 2 in front: such noise could be a well-formed PULL_DATA.
    const noise = (n: number) => Buffer.concat([Buffer.of(0xa5), randomBytes(n - 1)]);
    const garbage = [
      noise(48),
      Buffer.concat([head(ID.PUSH_DATA, 1), euiBytes, Buffer.from('{"rxpk":[]}')]),
      Buffer.concat([head(ID.PUSH_DATA, 0xff), euiBytes, Buffer.from('{}')]),
      Buffer.from([2, 0x12]),
      Buffer.concat([head(ID.PUSH_DATA), euiBytes.subarray(0, 5)]),
      Buffer.concat([head(ID.PUSH_DATA), euiBytes, Buffer.from('{"rxpk":[{"tmst":')]),
      Buffer.concat([head(ID.PUSH_DATA), euiBytes, Buffer.from('[1,2,3]')]),
      Buffer.concat([head(ID.PUSH_DATA), euiBytes, Buffer.from('null')]),
      Buffer.concat([head(ID.PULL_RESP), euiBytes, Buffer.from('{"txpk":{}}')]),
      Buffer.concat([head(0x7f), euiBytes]),
      noise(64 * 1024 - 100),
      Buffer.concat([head(ID.PUSH_DATA), euiBytes, Buffer.alloc(64 * 1024 - 100, '{')]),
    ];
    for (const d of garbage) junk.raw(d);
    // Well-formed, but its one rxpk lacks `tmst`: acknowledged, the frame dropped.
    const dropped = device.up({ fPort: 5, payload: Buffer.of(0x80) });
    const ackMark = markOf(junk);
    const token = junk.pushData({ rxpk: [{ ...rxpkFor(dropped), tmst: undefined }] });
    await next(junk, ID.PUSH_ACK, ackMark, token);
    // CRC failed (`stat` -1): acknowledged, the frame dropped.
    await push(junk, device.up({ fPort: 5, payload: Buffer.of(0x82) }), { stat: -1 });

    const health = await fetch(`${r.mote.url}/healthz`);
    expect(health.status).toBe(200);
    expect(r.mote.alive()).toBe(true);
    await push(junk, device.up({ fPort: 5, payload: Buffer.of(0x83) }));
    const up = await message(r.sub, upTopic(), subMark);
    expect(payloadOf(up)).toBe('gw==');
    await settled(r);
    expect(ups(subMark)).toHaveLength(1);
    expect(junk.received.slice(mark).map((d) => d.id)).toEqual([ID.PUSH_ACK, ID.PUSH_ACK, ID.PUSH_ACK]);
  });

  it('a replayed frame, an old FCnt and a forged MIC publish nothing; the next good frame does', async () => {
    let subMark = r.sub.messages.length;
    const accepted = device.up({ fPort: 5, payload: Buffer.of(0x90) });
    await push(a, accepted);
    const first = await message(r.sub, upTopic(), subMark);
    const n = fCntOf(first);

    subMark = r.sub.messages.length;
    // The very same bytes again, after the first was published (outside the merge window).
    await push(a, accepted);
    // The same FCnt, or the one before, with new content: genuine MICs, old counters.
    await push(a, device.up({ fPort: 5, payload: Buffer.of(0x91), fCnt: n }));
    await push(a, device.up({ fPort: 5, payload: Buffer.of(0x92), fCnt: n - 1 }));
    // The next FCnt with a MIC that does not verify.
    const forged = device.up({ fPort: 5, payload: Buffer.of(0x93), fCnt: n + 1 });
    forged[forged.length - 1] = (forged[forged.length - 1] ?? 0) ^ 0x5a;
    await push(a, forged);
    await push(a, device.up({ fPort: 5, payload: Buffer.of(0x94) }));
    const good = await message(r.sub, upTopic(), subMark);
    await settled(r);
    expect(ups(subMark)).toHaveLength(1);
    expect(payloadOf(good)).toBe('lA==');
    expect(fCntOf(good)).toBe(n + 1);
  });

  it('a replayed JoinRequest (used DevNonce) gets no JoinAccept and no join; a fresh one does', async () => {
    const mark = markOf(a);
    const subMark = r.sub.messages.length;
    await push(a, device.joinRequest(device.devNonce));
    await join(r, a, device, DEV);
    await settled(r);
    expect(since(r.sub, subMark, topicOf(r, DEV, 'join'))).toHaveLength(1);
    expect(pullResps(a, mark)).toHaveLength(1);
  });

  it('a JoinAccept the gateway is too late for in JOIN_ACCEPT_DELAY1 goes again in DELAY2 (RX2)', async () => {
    a.txAckAnswers.push('TOO_LATE');
    const mark = markOf(a);
    const subMark = r.sub.messages.length;
    const at = nextTmst();
    await push(a, device.joinRequest(), { tmst: at, freq: 868.3, datr: 'SF10BW125' });
    const rx1 = await next(a, ID.PULL_RESP, mark);
    expect(txpkOf(rx1)).toMatchObject({ tmst: at + 5_000_000, freq: 868.3, datr: 'SF10BW125' });
    const rx2 = await next(a, ID.PULL_RESP, a.received.indexOf(rx1) + 1);
    expect(txpkOf(rx2)).toMatchObject({ tmst: at + 6_000_000, freq: 869.525, datr: 'SF12BW125' });
    expect(txpkOf(rx2).data).toBe(txpkOf(rx1).data);
    const accept = device.joinAccept(dataOf(txpkOf(rx2)));
    const joined = await message(r.sub, topicOf(r, DEV, 'join'), subMark);
    expect(joined.json.end_device_ids).toMatchObject({ dev_addr: accept.devAddr });
  });

  it('after a new join both counters start again from 0 (LoRaWAN 1.0.3 §6.2.6)', async () => {
    const joined = at(since(r.sub, 0, topicOf(r, DEV, 'join')), -1);
    await pushDownlink(r, DEV, [{ f_port: 31, frm_payload: b64([31]) }]);
    const subMark = r.sub.messages.length;
    const ma = markOf(a);
    expect(device.fCntUp).toBe(0);
    await push(a, device.up({ fPort: 5, payload: Buffer.of(0x60) }));
    const up = await message(r.sub, upTopic(), subMark);
    expect(up.json.end_device_ids).toMatchObject({ dev_addr: device.session?.devAddr });
    expect(up.json.uplink_message).toMatchObject({
      session_key_id: (joined.json.join_accept as { session_key_id: string }).session_key_id,
      frm_payload: 'YA==',
    });
    expect(fCntOf(up)).toBe(0);
    const down = device.down(dataOf(txpkOf(await next(a, ID.PULL_RESP, ma))));
    expect(down).toMatchObject({ fCnt: 0, fPort: 31 });
  });
});
