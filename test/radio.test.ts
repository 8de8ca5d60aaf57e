/**
 * Real devices, part 1 (issue 12), end to end: a real Mote, a Semtech UDP gateway over real UDP,
 * an OTAA device emulated here with its own keys, and mosquitto_sub / mosquitto_pub as the user's
 * MQTT clients. Join, uplink, downlink (unconfirmed, confirmed: ack, nack and retry) and the RX2
 * fallback, as the gateway and the user see them (docs/behaviour.md §4–5, §9).
 */
import lora from 'lora-packet';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Received } from './helpers/mosquitto';
import { mosquittoSub } from './helpers/mosquitto';
import { OtaaDevice } from './helpers/otaaDevice';
import {
  airtimeSeconds,
  b64,
  createDevice,
  dataOf,
  eventually,
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
import { ID, type UdpGateway } from './helpers/udpGateway';

const APP = 'radio';
const DEV = 'dev1';
const APP_KEY = '2B7E151628AED2A6ABF7158809CF4F3C';
const DEV_EUI = '70B3D57ED0000001';
const JOIN_EUI = '70B3D57ED0000000';
const GW_EUI = 'AA555A0000000001';
const GW_ID = 'roof';

let r: RadioSetup;
let gw: UdpGateway;
const device = new OtaaDevice(APP_KEY, JOIN_EUI, DEV_EUI);
let sessionKeyId: string;

const topic = (suffix: string) => topicOf(r, DEV, suffix);
const cidOf = (m: Received) => (m.json.correlation_ids as string[]).find((c) => c.startsWith('as:downlink:'));
const withCid = (cid: string | undefined) => (m: Received) =>
  (m.json.correlation_ids as string[]).includes(cid ?? '?');
/** Concentrator time counts µs and wraps at 2^32 (PROTOCOL.TXT `tmst`). */
const plus = (tmst: number, us: number) => (tmst + us) % 2 ** 32;
let tmst = 1_000_000_000;
const nextTmst = () => {
  tmst += 7_000_000;
  return tmst;
};

/** An uplink through the gateway; resolves on its `up` (FPort 5, so every one is published). */
async function uplink(opts: { ack?: boolean } = {}, rxpk: Record<string, unknown> = {}) {
  const subMark = r.sub.messages.length;
  const fields = { tmst: nextTmst(), freq: 868.5, ...rxpk };
  const frame = device.up({ fPort: 5, payload: Buffer.of(device.fCntUp), ...opts });
  await push(gw, frame, fields);
  const up = await message(r.sub, topic('up'), subMark);
  return { up, tmst: fields.tmst as number };
}

/** The next uplink and the PULL_RESP answering it. */
async function uplinkAnswered(opts: { ack?: boolean } = {}) {
  const mark = markOf(gw);
  const u = await uplink(opts);
  return { ...u, resp: await next(gw, ID.PULL_RESP, mark) };
}

beforeAll(async () => {
  r = await startRadio(APP);
  gw = await registeredGateway(r, GW_ID, GW_EUI);
  await createDevice(r, DEV, { appKey: APP_KEY, devEui: DEV_EUI, joinEui: JOIN_EUI });
});

afterAll(() => stopRadio(r));

// A forwarder pulls every few seconds; the downlink path lasts three keepalives (30 s).
beforeEach(() => pull(gw));

describe('a device joins and talks through a Semtech UDP gateway', () => {
  it('joins: PULL_RESP in JOIN_ACCEPT_DELAY1 on the uplink channel, the device derives its keys, join on MQTT', async () => {
    const joins = await mosquittoSub(r.mote.mqttPort, APP, r.key, `v3/${APP}/devices/+/join`);
    try {
      const mark = markOf(gw);
      const at = nextTmst();
      await push(gw, device.joinRequest(), { tmst: at, freq: 868.1, chan: 0, datr: 'SF7BW125' });
      const resp = await next(gw, ID.PULL_RESP, mark);
      const txpk = txpkOf(resp);
      expect(txpk).toMatchObject({
        imme: false,
        tmst: at + 5_000_000,
        freq: 868.1,
        rfch: 0,
        modu: 'LORA',
        datr: 'SF7BW125',
        codr: '4/5',
        ipol: true,
        ncrc: true,
      });
      expect(txpk.size).toBe(dataOf(txpk).length);
      // The emulator answers TX_ACK NONE on receipt, as a gateway that transmitted.

      const accept = device.joinAccept(dataOf(txpk));
      expect(accept.devAddr).toMatch(/^[0-9A-F]{8}$/);
      expect(accept.rxDelay).toBe(1);

      // lora-packet, an independent implementation, reads the same JoinAccept and derives the same keys.
      const appKey = Buffer.from(APP_KEY, 'hex');
      const lp = lora.fromWire(lora.decryptJoinAccept(lora.fromWire(dataOf(txpk)), appKey));
      expect(lora.verifyMIC(lp, undefined, appKey)).toBe(true);
      expect(lp.DevAddr?.toString('hex').toUpperCase()).toBe(accept.devAddr);
      const keys = lora.generateSessionKeys10(
        appKey,
        lp.NetID ?? Buffer.alloc(3),
        lp.AppNonce ?? Buffer.alloc(3),
        Buffer.of(device.devNonce >> 8, device.devNonce & 0xff),
      );
      expect(keys.NwkSKey.toString('hex').toUpperCase()).toBe(device.session?.nwkSKey);
      expect(keys.AppSKey.toString('hex').toUpperCase()).toBe(device.session?.appSKey);

      const join = await message(joins, topic('join'), 0);
      expect(join.json).toMatchObject({
        end_device_ids: {
          device_id: DEV,
          application_ids: { application_id: APP },
          dev_eui: DEV_EUI,
          join_eui: JOIN_EUI,
          dev_addr: accept.devAddr,
        },
        join_accept: { session_key_id: expect.any(String) },
      });
      sessionKeyId = (join.json.join_accept as { session_key_id: string }).session_key_id;
    } finally {
      joins.stop();
    }
  });

  it('uplink: up on MQTT with the payload, counter, gateway and radio of the rxpk', async () => {
    const mark = markOf(gw);
    const subMark = r.sub.messages.length;
    const at = nextTmst();
    const frame = device.up({ fPort: 5, payload: Buffer.of(0xde, 0xad, 0xbe, 0xef) });
    const rxpk = {
      tmst: at,
      // A forwarder's GPS time has microseconds (PROTOCOL.TXT §4); they reach the subscriber.
      time: '2026-12-02T08:00:01.528002Z',
      chan: 1,
      freq: 868.3,
      datr: 'SF9BW125',
      rssi: -97,
      lsnr: -3.5,
    };
    await push(gw, frame, rxpk);
    const up = await message(r.sub, topic('up'), subMark);
    expect(up.json.end_device_ids).toMatchObject({
      device_id: DEV,
      dev_eui: DEV_EUI,
      dev_addr: device.session?.devAddr,
    });
    const m = up.json.uplink_message as Record<string, unknown>;
    expect(m).toMatchObject({
      session_key_id: sessionKeyId,
      f_port: 5,
      frm_payload: '3q2+7w==',
      rx_metadata: [
        {
          gateway_ids: { gateway_id: GW_ID, eui: GW_EUI },
          time: '2026-12-02T08:00:01.528002Z',
          timestamp: at,
          rssi: -97,
          channel_rssi: -97,
          snr: -3.5,
          channel_index: 1,
        },
      ],
      settings: {
        data_rate: { lora: { spreading_factor: 9, bandwidth: 125_000, coding_rate: '4/5' } },
        frequency: '868300000',
        timestamp: at,
        time: '2026-12-02T08:00:01.528002Z',
      },
    });
    // FCnt 0: proto-JSON leaves the zero out (docs/behaviour.md §4.1).
    expect(m.f_cnt).toBeUndefined();
    expect(m.rx_metadata).toHaveLength(1);
    expect(Number.parseFloat(m.consumed_airtime as string)).toBeCloseTo(airtimeSeconds(frame.length, 9), 6);
    // An unconfirmed uplink with nothing queued gets no downlink.
    await settled(r);
    expect(receivedSince(gw, ID.PULL_RESP, mark)).toHaveLength(0);
  });

  it('downlink: mosquitto_pub down/push goes out in RX1 of the next uplink, down/sent only after TX_ACK', async () => {
    const queued = await pushDownlink(r, DEV, [{ f_port: 15, frm_payload: 'AQID', priority: 'NORMAL' }]);
    const cid = cidOf(queued);
    gw.txAckAnswers.push('silent');
    const subMark = r.sub.messages.length;
    // The concentrator counter about to wrap: RX1 is 1 s later, modulo 2^32.
    const at = 2 ** 32 - 400_000;
    const mark = markOf(gw);
    const { up } = await uplink({}, { tmst: at, freq: 868.5, datr: 'SF7BW125' });
    expect((up.json.uplink_message as { f_cnt: number }).f_cnt).toBe(1);
    const resp = await next(gw, ID.PULL_RESP, mark);
    const txpk = txpkOf(resp);
    expect(txpk).toMatchObject({
      imme: false,
      tmst: plus(at, 1_000_000),
      freq: 868.5,
      datr: 'SF7BW125',
      modu: 'LORA',
      ipol: true,
    });
    expect(txpk.tmst).toBe(600_000);
    const down = device.down(dataOf(txpk));
    expect(down).toMatchObject({ fPort: 15, confirmed: false });
    expect(Buffer.from(down.frmPayload).toString('hex')).toBe('010203');
    expectLoraPacketDown(dataOf(txpk), 15, '010203');

    // No TX_ACK yet: not sent.
    await settled(r);
    expect(since(r.sub, subMark, topic('down/sent'))).toHaveLength(0);
    gw.txAck(resp.token, 'NONE');
    const sent = await message(r.sub, topic('down/sent'), subMark, withCid(cid));
    const body = sent.json.downlink_sent as Record<string, unknown>;
    expect(body).toMatchObject({
      f_port: 15,
      frm_payload: 'AQID',
      priority: 'NORMAL',
      session_key_id: sessionKeyId,
    });
    expect(body.f_cnt ?? 0).toBe(down.fCnt);
    expect(await queue()).toEqual([]);
  });

  it('two queued downlinks: the first frame sets FPending, the next uplink fetches the second', async () => {
    await pushDownlink(r, DEV, [
      { f_port: 21, frm_payload: b64([21]) },
      { f_port: 22, frm_payload: b64([22]) },
    ]);
    const first = device.down(dataOf(txpkOf((await uplinkAnswered()).resp)));
    expect(first).toMatchObject({ fPort: 21, fCtrl: { fPending: true } });
    const second = device.down(dataOf(txpkOf((await uplinkAnswered()).resp)));
    expect(second).toMatchObject({ fPort: 22, fCtrl: { fPending: false } });
    expect(await queue()).toEqual([]);
  });

  it('a forwarder that never answers TX_ACK (protocol v1): down/sent after the TX_ACK timeout, no RX2', async () => {
    const queued = await pushDownlink(r, DEV, [{ f_port: 20, frm_payload: b64([11]) }]);
    gw.txAckAnswers.push('silent');
    const subMark = r.sub.messages.length;
    const mark = markOf(gw);
    const { resp } = await uplinkAnswered();
    expect(device.down(dataOf(txpkOf(resp))).fPort).toBe(20);
    await message(r.sub, topic('down/sent'), subMark, withCid(cidOf(queued)));
    expect(receivedSince(gw, ID.PULL_RESP, mark)).toHaveLength(1);
  });

  it('confirmed downlink: the next uplink carries the ACK, down/ack', async () => {
    const queued = await pushDownlink(r, DEV, [
      { f_port: 16, frm_payload: b64([4, 5]), confirmed: true, correlation_ids: ['my-confirmed'] },
    ]);
    const subMark = r.sub.messages.length;
    const { resp } = await uplinkAnswered();
    const down = device.down(dataOf(txpkOf(resp)));
    expect(down).toMatchObject({ fPort: 16, confirmed: true });
    await message(r.sub, topic('down/sent'), subMark, withCid('my-confirmed'));
    expect(since(r.sub, subMark, topic('down/ack'))).toHaveLength(0);

    await uplink({ ack: true });
    const ack = await message(r.sub, topic('down/ack'), subMark, withCid('my-confirmed'));
    expect(ack.json.downlink_ack).toMatchObject({ f_port: 16, frm_payload: b64([4, 5]), confirmed: true });
    expect(ack.json.correlation_ids).toContain(cidOf(queued));
    await settled(r);
    expect(since(r.sub, subMark, topic('down/nack'))).toHaveLength(0);
  });

  it('confirmed downlink without ACK: down/nack and a retry in the same window, down/failed after max_attempts', async () => {
    await pushDownlink(r, DEV, [
      {
        f_port: 17,
        frm_payload: b64([6]),
        confirmed: true,
        confirmed_retry: { max_attempts: 2 },
        correlation_ids: ['my-nack'],
      },
    ]);
    const subMark = r.sub.messages.length;
    const first = await uplinkAnswered();
    const d1 = device.down(dataOf(txpkOf(first.resp)));
    await message(r.sub, topic('down/sent'), subMark, withCid('my-nack'));

    // No ACK: nack, and the retry goes out in this uplink's RX1 with a new FCnt.
    const second = await uplinkAnswered({ ack: false });
    const nack = await message(r.sub, topic('down/nack'), subMark, withCid('my-nack'));
    expect(nack.json.downlink_nack).toMatchObject({
      f_port: 17,
      confirmed_retry: { attempt: 2, max_attempts: 2 },
    });
    const d2 = device.down(dataOf(txpkOf(second.resp)));
    expect(d2).toMatchObject({ fPort: 17, confirmed: true });
    expect(Buffer.from(d2.frmPayload)).toEqual(Buffer.of(6));
    expect(d2.fCnt).toBe(d1.fCnt + 1);
    const sent = await sentTimes(subMark, 'my-nack', 2);
    expect(sent.map((m) => m.json.downlink_sent)).toMatchObject([
      { f_cnt: d1.fCnt, confirmed_retry: { attempt: 1 } },
      { f_cnt: d2.fCnt, confirmed_retry: { attempt: 2 } },
    ]);

    // No ACK again: attempt 3 > max_attempts 2.
    const mark = markOf(gw);
    await uplink({ ack: false });
    const failed = await message(r.sub, topic('down/failed'), subMark, withCid('my-nack'));
    expect(failed.json.downlink_failed).toMatchObject({ error: { name: 'max_retries_reached' } });
    await settled(r);
    expect(since(r.sub, subMark, topic('down/nack'))).toHaveLength(2);
    expect(receivedSince(gw, ID.PULL_RESP, mark)).toHaveLength(0);
  });

  it('TX_ACK TOO_LATE in RX1: the frame goes again in RX2 (869.525 MHz, SF12BW125, 2 s), then down/sent', async () => {
    const queued = await pushDownlink(r, DEV, [{ f_port: 18, frm_payload: b64([7, 8, 9]) }]);
    gw.txAckAnswers.push('TOO_LATE', 'NONE');
    const subMark = r.sub.messages.length;
    const mark = markOf(gw);
    const { tmst: at, resp } = await uplinkAnswered();
    const rx1 = txpkOf(resp);
    expect(rx1).toMatchObject({ tmst: plus(at, 1_000_000), freq: 868.5, datr: 'SF7BW125' });
    const rx2Resp = await next(gw, ID.PULL_RESP, gw.received.indexOf(resp) + 1);
    const rx2 = txpkOf(rx2Resp);
    expect(rx2).toMatchObject({
      imme: false,
      tmst: plus(at, 2_000_000),
      freq: 869.525,
      modu: 'LORA',
      datr: 'SF12BW125',
      ipol: true,
    });
    expect(rx2.data).toBe(rx1.data);
    expect(rx2Resp.token).not.toBe(resp.token);
    const down = device.down(dataOf(rx2));
    expect(Buffer.from(down.frmPayload).toString('hex')).toBe('070809');
    await message(r.sub, topic('down/sent'), subMark, withCid(cidOf(queued)));
    expect(receivedSince(gw, ID.PULL_RESP, mark)).toHaveLength(2);
  });

  it('TOO_LATE in both windows: no down/sent, still queued, and out after the next uplink', async () => {
    const queued = await pushDownlink(r, DEV, [{ f_port: 19, frm_payload: b64([10]) }]);
    const cid = cidOf(queued);
    gw.txAckAnswers.push('TOO_LATE', 'TOO_LATE');
    const subMark = r.sub.messages.length;
    const mark = markOf(gw);
    await uplink();
    const rx1 = await next(gw, ID.PULL_RESP, mark);
    const rx2 = await next(gw, ID.PULL_RESP, gw.received.indexOf(rx1) + 1);
    expect(txpkOf(rx2).freq).toBe(869.525);
    await eventually(async () => (await queue()).length === 1);
    expect((await queue())[0]).toMatchObject({ f_port: 19, frm_payload: b64([10]) });
    await settled(r);
    expect(since(r.sub, subMark, topic('down/sent'))).toHaveLength(0);

    const again = await uplinkAnswered();
    const down = device.down(dataOf(txpkOf(again.resp)));
    expect(down).toMatchObject({ fPort: 19 });
    // The FCnt of a frame that never went out is not used again.
    expect(down.fCnt).toBeGreaterThan(lora.fromWire(dataOf(txpkOf(rx1))).getFCnt() ?? Infinity);
    const sent = await message(r.sub, topic('down/sent'), subMark, withCid(cid));
    expect((sent.json.downlink_sent as { f_cnt: number }).f_cnt).toBe(down.fCnt);
    expect(await queue()).toEqual([]);
  });

  it('a downlink too long for SF12 (51 bytes): down/failed, and the next item goes out instead', async () => {
    const queued = await pushDownlink(r, DEV, [
      { f_port: 23, frm_payload: Buffer.alloc(60, 0x17).toString('base64') },
      { f_port: 24, frm_payload: b64([24]) },
    ]);
    const subMark = r.sub.messages.length;
    const mark = markOf(gw);
    const { tmst: at } = await uplink({}, { datr: 'SF12BW125' });
    const resp = await next(gw, ID.PULL_RESP, mark);
    expect(txpkOf(resp)).toMatchObject({ tmst: plus(at, 1_000_000), datr: 'SF12BW125' });
    expect(device.down(dataOf(txpkOf(resp)))).toMatchObject({ fPort: 24 });
    const failed = await message(r.sub, topic('down/failed'), subMark, withCid(cidOf(queued)));
    expect(failed.json.downlink_failed).toMatchObject({
      downlink: { f_port: 23 },
      error: {
        name: 'application_downlink_too_long',
        attributes: { length: 60, max: 51, data_rate_index: 0 },
      },
    });
    await message(r.sub, topic('down/sent'), subMark);
  });
});

/** The first `count` `down/sent` of the downlink carrying `cid`, published after `subMark`. */
async function sentTimes(subMark: number, cid: string, count: number): Promise<Received[]> {
  const of = (ms: Received[]) =>
    ms.slice(subMark).filter((m) => m.topic === topic('down/sent') && withCid(cid)(m));
  return of(await r.sub.until((ms) => of(ms).length >= count, 20_000)).slice(0, count);
}

const queue = () => queueOf(r, DEV);

/** lora-packet reads the downlink too: MIC with the NwkSKey, FPort, FRMPayload with the AppSKey. */
function expectLoraPacketDown(phyPayload: Buffer, fPort: number, hex: string) {
  const s = device.session;
  if (!s) throw new Error('not joined');
  const nwk = Buffer.from(s.nwkSKey, 'hex');
  const app = Buffer.from(s.appSKey, 'hex');
  const p = lora.fromWire(phyPayload);
  expect(p.getMType()).toBe('Unconfirmed Data Down');
  expect(p.DevAddr?.toString('hex').toUpperCase()).toBe(s.devAddr);
  expect(lora.verifyMIC(p, nwk)).toBe(true);
  expect(p.getFPort()).toBe(fPort);
  expect(lora.decrypt(p, app, nwk).toString('hex')).toBe(hex);
}
