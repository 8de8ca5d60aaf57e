/**
 * A Semtech UDP packet forwarder for tests, written from PROTOCOL.TXT (protocol version 2) and not
 * from server/gs/udp/packets.ts, so the two check each other: PUSH_DATA with rxpk built from a
 * PHYPayload, PULL_DATA keepalives, PULL_RESP received, TX_ACK answered as told.
 */
import { createSocket, type Socket } from 'node:dgram';

export interface Datagram {
  version: number;
  token: number;
  id: number;
  /** Bytes after the 4-byte header (PULL_RESP: the JSON). */
  body: Buffer;
  json?: Record<string, unknown>;
  at: number;
}

export const ID = { PUSH_DATA: 0, PUSH_ACK: 1, PULL_DATA: 2, PULL_RESP: 3, PULL_ACK: 4, TX_ACK: 5 } as const;

/** What the gateway answers a PULL_RESP with: an error name, `silent` (v1), `empty` (no JSON). */
export type TxAckAnswer = string;

export interface Server {
  host: string;
  port: number;
}

export function rxpkFor(
  phyPayload: Uint8Array,
  fields: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    time: '2026-12-02T08:00:00.123456Z',
    tmst: 3_512_348_611,
    chan: 2,
    rfch: 0,
    freq: 868.5,
    stat: 1,
    modu: 'LORA',
    datr: 'SF7BW125',
    codr: '4/5',
    rssi: -35,
    lsnr: 5.1,
    size: phyPayload.length,
    data: Buffer.from(phyPayload).toString('base64'),
    ...fields,
  };
}

export class UdpGateway {
  readonly received: Datagram[] = [];
  /** Answers to the next PULL_RESPs, in order; after them, `defaultTxAck`. */
  readonly txAckAnswers: TxAckAnswer[] = [];
  defaultTxAck: TxAckAnswer = 'NONE';
  private token = 1;
  private waiters: Array<() => void> = [];

  private constructor(
    readonly eui: string,
    private readonly socket: Socket,
    private readonly server: Server,
  ) {
    socket.on('message', (msg) => this.onMessage(msg));
  }

  static async start(eui: string, server: Server): Promise<UdpGateway> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return new UdpGateway(eui.toUpperCase(), socket, server);
  }

  get port(): number {
    return this.socket.address().port;
  }

  nextToken(): number {
    this.token = (this.token * 7919 + 13) & 0xffff;
    return this.token;
  }

  /** PUSH_DATA with the given JSON object; returns the token. */
  pushData(json: Record<string, unknown>, token = this.nextToken()): number {
    this.raw(
      Buffer.concat([this.header(token, ID.PUSH_DATA), this.euiBytes(), Buffer.from(JSON.stringify(json))]),
    );
    return token;
  }

  /** One frame as this gateway heard it. */
  uplink(phyPayload: Uint8Array, fields: Record<string, unknown> = {}): number {
    return this.pushData({ rxpk: [rxpkFor(phyPayload, fields)] });
  }

  pull(token = this.nextToken()): number {
    this.raw(Buffer.concat([this.header(token, ID.PULL_DATA), this.euiBytes()]));
    return token;
  }

  txAck(token: number, answer: TxAckAnswer): void {
    const head = Buffer.concat([this.header(token, ID.TX_ACK), this.euiBytes()]);
    if (answer === 'empty') this.raw(head);
    else this.raw(Buffer.concat([head, Buffer.from(JSON.stringify({ txpk_ack: { error: answer } }))]));
  }

  raw(datagram: Uint8Array): void {
    this.socket.send(datagram, this.server.port, this.server.host);
  }

  of(id: number): Datagram[] {
    return this.received.filter((d) => d.id === id);
  }

  /** Resolves with the first datagram received (or already held) that matches. */
  async waitFor(match: (d: Datagram) => boolean, timeoutMs = 2000): Promise<Datagram> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find(match);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`gateway ${this.eui}: no matching datagram in ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }

  private onMessage(msg: Buffer): void {
    const body = msg.subarray(4);
    const d: Datagram = { version: msg[0]!, token: msg.readUInt16BE(1), id: msg[3]!, body, at: Date.now() };
    if (d.id === ID.PULL_RESP) d.json = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    this.received.push(d);
    if (d.id === ID.PULL_RESP) {
      const answer = this.txAckAnswers.shift() ?? this.defaultTxAck;
      if (answer !== 'silent') this.txAck(d.token, answer);
    }
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private header(token: number, id: number): Buffer {
    return Buffer.from([2, token >> 8, token & 0xff, id]);
  }

  private euiBytes(): Buffer {
    return Buffer.from(this.eui, 'hex');
  }
}
