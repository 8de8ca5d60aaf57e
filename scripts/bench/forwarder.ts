/**
 * Emulated Semtech UDP packet forwarders (PROTOCOL.TXT, protocol version 2), written from the
 * protocol and not from server/gs/udp/packets.ts so the two check each other. Each gateway has
 * its own socket and its own devices; every frame is heard by exactly one gateway.
 *
 * A forwarder fetches from its concentrator every 10 ms and sends what it got as one PUSH_DATA
 * with an `rxpk` array (lora_pkt_fwd: FETCH_SLEEP_MS 10, up to NB_PKT_MAX frames per datagram —
 * 8 in packet_forwarder 4, 255 in sx1302_hal's). So does this one: one tick every 10 ms, one
 * datagram per gateway per tick holding the frames due, split past MAX_RXPK. That keeps each
 * gateway near 100 datagrams/s, inside the gateway server's per-source limit (200/s), at any rate.
 */
import { createSocket, type Socket } from 'node:dgram';
import { type AbpDevice, type Air, air } from './abp';
import { pace } from './pace';
import { stampBytes } from './payload';
import { nowUs } from './rpc';

const VERSION = 2;
const PUSH_DATA = 0x00;
const PUSH_ACK = 0x01;
const PULL_DATA = 0x02;
const PULL_ACK = 0x04;
/** lora_pkt_fwd's fetch cycle. */
export const TICK_MS = 10;
/** A datagram stays well under 64 KB: an rxpk of a 25-byte frame is ~230 bytes of JSON. */
const MAX_RXPK = 64;
const KEEPALIVE_MS = 10_000;

export interface ForwarderCounts {
  /** PUSH_DATA datagrams sent and PUSH_ACKs received with a token still outstanding. */
  pushData: number;
  pushAcks: number;
  pullData: number;
  pullAcks: number;
  frames: number;
}

interface Gateway {
  eui: Buffer;
  socket: Socket;
  air: Air;
  token: number;
  /** Tokens of PUSH_DATAs not yet acknowledged (a token is 16 bits: reused after 65 536). */
  outstanding: Set<number>;
  rxpk: string[];
}

export interface ForwarderOptions {
  host: string;
  port: number;
  /** One per gateway, 16 hex digits. */
  euis: string[];
  /** Device i is heard by gateway i mod euis.length. */
  devices: AbpDevice[];
}

const emptyCounts = (): ForwarderCounts => ({
  pushData: 0,
  pushAcks: 0,
  pullData: 0,
  pullAcks: 0,
  frames: 0,
});

function header(token: number, id: number, eui: Buffer): Buffer {
  return Buffer.concat([Buffer.from([VERSION, (token >> 8) & 0xff, token & 0xff, id]), eui]);
}

/** One rxpk (PROTOCOL.TXT §4): EU868 868.5 MHz, SF7BW125, `tmst` the gateway's µs counter. */
function rxpk(phy: Buffer, time: string, tmst: number): string {
  return `{"time":"${time}","tmst":${tmst},"chan":2,"rfch":0,"freq":868.5,"stat":1,"modu":"LORA","datr":"SF7BW125","codr":"4/5","rssi":-57,"lsnr":7.5,"size":${phy.length},"data":"${phy.toString('base64')}"}`;
}

export async function openForwarders(opts: ForwarderOptions) {
  const counts = emptyCounts();
  const gateways: Gateway[] = opts.euis.map((eui, g) => ({
    eui: Buffer.from(eui, 'hex'),
    socket: createSocket('udp4'),
    air: air(opts.devices.filter((_, i) => i % opts.euis.length === g)),
    token: 0,
    outstanding: new Set(),
    rxpk: [],
  }));
  for (const gw of gateways) {
    gw.socket.on('message', (msg) => {
      if (msg.length < 4 || msg[0] !== VERSION) return;
      const token = (msg[1]! << 8) | msg[2]!;
      if (msg[3] === PUSH_ACK && gw.outstanding.delete(token)) counts.pushAcks++;
      else if (msg[3] === PULL_ACK) counts.pullAcks++;
    });
    await new Promise<void>((resolve) => gw.socket.bind(0, opts.host, resolve));
    gw.socket.connect(opts.port, opts.host);
    await new Promise<void>((resolve) => gw.socket.once('connect', resolve));
  }
  const nextToken = (gw: Gateway) => {
    gw.token = (gw.token + 1) & 0xffff;
    return gw.token;
  };
  /** PULL_DATA (§5.2): the keepalive that opens the gateway's downlink path. */
  const pull = () => {
    for (const gw of gateways) {
      gw.socket.send(header(nextToken(gw), PULL_DATA, gw.eui));
      counts.pullData++;
    }
  };
  pull();
  const keepalive = setInterval(pull, KEEPALIVE_MS);

  const flush = (gw: Gateway) => {
    for (let i = 0; i < gw.rxpk.length; i += MAX_RXPK) {
      const token = nextToken(gw);
      gw.outstanding.add(token);
      const json = `{"rxpk":[${gw.rxpk.slice(i, i + MAX_RXPK).join(',')}]}`;
      gw.socket.send(Buffer.concat([header(token, PUSH_DATA, gw.eui), Buffer.from(json)]));
      counts.pushData++;
    }
    gw.rxpk = [];
  };

  let seq = 0;
  /**
   * `count` frames, frame `seq` heard by gateway `seq` mod G. Each gateway's datagram is sent as
   * soon as its frames are built, so a stamp precedes its PUSH_DATA by that datagram's build time
   * (a few frames' MIC and JSON), not by the whole tick's.
   */
  const emit = (count: number) => {
    const time = new Date().toISOString();
    const g0 = seq % gateways.length;
    for (const [g, gw] of gateways.entries()) {
      for (let k = (g - g0 + gateways.length) % gateways.length; k < count; k += gateways.length) {
        const { phy } = gw.air.next(stampBytes(nowUs(), seq + k));
        gw.rxpk.push(rxpk(phy, time, nowUs() >>> 0));
      }
      if (gw.rxpk.length > 0) flush(gw);
    }
    seq += count;
    counts.frames += count;
  };

  return {
    /** Untimed: the stamp-free part of the next `count` frames (abp.ts), spread over the gateways. */
    prepare(count: number) {
      for (const gw of gateways) gw.air.prepare(Math.ceil(count / gateways.length) + 1);
    },
    send: (rate: number, seconds: number) => pace(rate, seconds, emit, TICK_MS),
    /** Since the last reset; PUSH_ACKs still outstanding stay counted against this window. */
    counts: (): ForwarderCounts => ({ ...counts }),
    reset() {
      Object.assign(counts, emptyCounts());
      for (const gw of gateways) gw.outstanding.clear();
    },
    preparedLate: () => gateways.reduce((n, gw) => n + gw.air.preparedLate(), 0),
    close() {
      clearInterval(keepalive);
      for (const gw of gateways) gw.socket.close();
    },
  };
}

export type Forwarders = Awaited<ReturnType<typeof openForwarders>>;
