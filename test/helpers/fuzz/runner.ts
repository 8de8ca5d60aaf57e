/**
 * Sends fuzz cases to a server over a few raw TCP sockets, many cases per connection where the
 * protocol allows. A mirror of the server's reader (packets cut at their remaining length, each
 * parsed by mqtt-packet) is fed every byte sent, so the runner knows what the server saw:
 * - malformed → the server must close; a PINGREQ is sent after it and must go unanswered;
 * - incomplete (the server is waiting for the rest) → the runner half-closes and waits for close;
 * - complete → a PINGREQ follows: PINGRESP means the session survived the case, and the next
 *   case goes on the same connection; a close means the server ended it (a protocol violation).
 * A server that neither answers nor closes within `hangMs` counts as hung.
 */
import { type Socket, connect as tcpConnect } from 'node:net';
import { parser as createParser, type Packet, type Parser } from 'mqtt-packet';
import type { FuzzCase } from './cases';
import { connectPacket, encode, type Target, type Version } from './packets';

export interface FuzzStats {
  cases: number;
  bytes: number;
  connections: number;
  /** Complete cases after which the session answered PINGREQ. */
  survived: number;
  /** Complete cases after which the server closed the connection. */
  closed: number;
  /** Malformed cases (per the mirror parser), all of which the server must close. */
  malformed: number;
  /** Incomplete cases: the server waited for more bytes and closed on our FIN. */
  incomplete: number;
  /** Opening CONNECTs (mutated) that the server accepted with CONNACK 0. */
  connectsAccepted: number;
  /** Malformed cases after which the server still answered: must stay 0. */
  malformedAnswered: number;
  /** Cases the server neither answered nor closed within hangMs: must stay 0. */
  hung: number;
  /** Well-formed CONNECTs the runner sent that were not accepted: must stay 0. */
  connectFailures: number;
  byKind: Record<string, number>;
  /** The first few cases behind a hang or an answered malformed packet, to replay. */
  violations: string[];
}

export const newStats = (): FuzzStats => ({
  cases: 0,
  bytes: 0,
  connections: 0,
  survived: 0,
  closed: 0,
  malformed: 0,
  incomplete: 0,
  connectsAccepted: 0,
  malformedAnswered: 0,
  hung: 0,
  connectFailures: 0,
  byKind: {},
  violations: [],
});

function violation(stats: FuzzStats, what: string, c: FuzzCase) {
  if (stats.violations.length < 5)
    stats.violations.push(
      `${what}: case #${c.index} ${c.kind} v${c.version} ${c.bytes.subarray(0, 120).toString('hex')}`,
    );
}

const PINGREQ = Buffer.from([0xc0, 0x00]);

/** Whole size of the packet starting `buf` (fixed header §2.2), undefined until its header is in. */
function packetSize(buf: Buffer): number | 'malformed' | undefined {
  let length = 0;
  for (let k = 1; k <= 4; k++) {
    const byte = buf[k];
    if (byte === undefined) return undefined;
    length += (byte & 0x7f) * 128 ** (k - 1);
    if ((byte & 0x80) === 0) return 1 + k + length;
  }
  return 'malformed';
}

type Event = 'pingresp' | 'connack-ok' | 'connack-refused' | 'closed' | 'timeout';

/** One raw connection with a mirror of the server's parser. */
class Wire {
  readonly socket: Socket;
  private readonly mirror: Parser;
  private readonly incoming: Parser;
  private mirrorError = false;
  private mirrorPings = 0;
  private closed = false;
  private waiter: ((e: Event) => void) | undefined;
  private readonly pending: Event[] = [];
  connected = false;

  /** Bytes sent that do not make a whole packet yet. */
  private unframed = Buffer.alloc(0);
  private readonly maxPacketSize: number;

  constructor(
    o: RunOptions,
    readonly version: Version,
  ) {
    this.maxPacketSize = o.maxPacketSize ?? 256 * 1024;
    this.socket = tcpConnect({ port: o.port, host: '127.0.0.1', localAddress: o.localAddress });
    this.socket.setNoDelay(true);
    this.mirror = createParser();
    this.mirror.on('error', () => {
      this.mirrorError = true;
    });
    this.mirror.on('packet', (p: Packet) => {
      if (p.cmd === 'pingreq') this.mirrorPings++;
    });
    this.incoming = createParser({ protocolVersion: version });
    this.incoming.on('packet', (p: Packet) => {
      if (p.cmd === 'pingresp') this.emit('pingresp');
      if (p.cmd === 'connack')
        this.emit((p.returnCode ?? p.reasonCode ?? 0) === 0 ? 'connack-ok' : 'connack-refused');
    });
    this.incoming.on('error', () => {});
    this.socket.on('data', (d) => this.incoming.parse(d));
    this.socket.on('error', () => {});
    this.socket.once('close', () => {
      this.closed = true;
      this.emit('closed');
    });
  }

  private emit(e: Event) {
    const w = this.waiter;
    if (w) {
      this.waiter = undefined;
      w(e);
    } else this.pending.push(e);
  }

  get isClosed() {
    return this.closed;
  }

  /**
   * Writes bytes and feeds them to the mirror; says what the server's parser now holds and how
   * many PINGREQs it found in them (each will be answered before the runner's own).
   */
  send(bytes: Buffer): { seen: 'malformed' | 'incomplete' | 'complete'; pings: number } {
    if (!this.closed) this.socket.write(bytes);
    this.mirrorError = false;
    this.mirrorPings = 0;
    let buf = Buffer.concat([this.unframed, bytes]);
    while (buf.length > 0) {
      const total = packetSize(buf);
      if (total === undefined) break;
      if (total === 'malformed' || total > this.maxPacketSize)
        return { seen: 'malformed', pings: this.mirrorPings };
      if (total > buf.length) break;
      this.mirror.parse(buf.subarray(0, total));
      if (this.mirrorError) return { seen: 'malformed', pings: this.mirrorPings };
      buf = buf.subarray(total);
    }
    this.unframed = buf;
    return { seen: buf.length > 0 ? 'incomplete' : 'complete', pings: this.mirrorPings };
  }

  /** The next event of interest, `closed` being final. */
  next(want: readonly Event[], timeoutMs: number): Promise<Event> {
    for (;;) {
      const e = this.pending.shift();
      if (e === undefined) break;
      if (want.includes(e) || e === 'closed') return Promise.resolve(e);
    }
    if (this.closed) return Promise.resolve('closed');
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        resolve('timeout');
      }, timeoutMs);
      const wait = (e: Event) => {
        if (want.includes(e) || e === 'closed') {
          clearTimeout(timer);
          resolve(e);
        } else this.waiter = wait;
      };
      this.waiter = wait;
    });
  }

  destroy() {
    this.socket.destroy();
  }
}

export interface RunOptions {
  port: number;
  target: Target;
  sockets: number;
  /** Returns the next case, or undefined when the run is over. */
  nextCase(): FuzzCase | undefined;
  stats: FuzzStats;
  hangMs?: number;
  /** The server's limit (default 256 KiB, as Mote's): a larger packet is refused. */
  maxPacketSize?: number;
  /** Source address (any of 127.0.0.0/8): the attacker's, apart from well-behaved clients'. */
  localAddress?: string;
}

let clientSeq = 0;

async function openSession(o: RunOptions, version: Version): Promise<Wire | undefined> {
  const w = new Wire(o, version);
  o.stats.connections++;
  w.send(encode(connectPacket(o.target, version, `fuzz-${process.pid}-${clientSeq++}`), version));
  const e = await w.next(['connack-ok', 'connack-refused'], o.hangMs ?? 15_000);
  if (e === 'connack-ok') {
    w.connected = true;
    return w;
  }
  o.stats.connectFailures++;
  w.destroy();
  return undefined;
}

/** Runs one case; returns the wire if its session may take the next case. */
async function runCase(o: RunOptions, c: FuzzCase, wire: Wire | undefined): Promise<Wire | undefined> {
  const { stats } = o;
  const hangMs = o.hangMs ?? 15_000;
  let w = wire;
  if (c.afterConnect && (!w || w.isClosed || !w.connected || w.version !== c.version)) {
    w?.destroy();
    w = await openSession(o, c.version);
    if (!w) return undefined;
  }
  if (!c.afterConnect) {
    w?.destroy();
    w = new Wire(o, c.version);
    stats.connections++;
  }
  if (!w) return undefined;
  stats.cases++;
  stats.bytes += c.bytes.length;
  stats.byKind[c.kind] = (stats.byKind[c.kind] ?? 0) + 1;
  const { seen, pings } = w.send(c.bytes);
  if (seen === 'incomplete') {
    stats.incomplete++;
    w.socket.end();
    if ((await w.next([], hangMs)) === 'timeout') {
      stats.hung++;
      violation(stats, 'hung', c);
    }
    w.destroy();
    return undefined;
  }
  if (seen === 'malformed') {
    stats.malformed++;
    if (!w.isClosed) w.socket.write(PINGREQ);
    // PINGREQs parsed before the malformed part may be answered; the runner's own must not be.
    let e = await w.next(['pingresp'], hangMs);
    for (let i = 0; i < pings && e === 'pingresp'; i++) e = await w.next(['pingresp'], hangMs);
    if (e === 'pingresp') {
      stats.malformedAnswered++;
      violation(stats, 'malformed answered', c);
    }
    if (e === 'timeout') {
      stats.hung++;
      violation(stats, 'hung', c);
    }
    w.destroy();
    return undefined;
  }
  if (!c.afterConnect) {
    // A fresh connection's first packet: only a CONNECT may open a session [MQTT-3.1.0-1].
    const e = await w.next(['connack-ok', 'connack-refused'], hangMs);
    if (e === 'connack-ok') {
      stats.connectsAccepted++;
      w.connected = true;
    } else {
      if (e === 'timeout') {
        stats.hung++;
        violation(stats, 'hung', c);
      } else stats.closed++;
      w.destroy();
      return undefined;
    }
  }
  if (!w.isClosed) w.socket.write(PINGREQ);
  let e = await w.next(['pingresp'], hangMs);
  for (let i = 0; i < pings && e === 'pingresp'; i++) e = await w.next(['pingresp'], hangMs);
  if (e === 'pingresp') {
    stats.survived++;
    // A session opened by a mutated CONNECT is not reused: its version and limits are unknown.
    if (c.afterConnect) return w;
  } else if (e === 'timeout') {
    stats.hung++;
    violation(stats, 'hung', c);
  } else stats.closed++;
  w.destroy();
  return undefined;
}

/** Runs cases on `sockets` concurrent connections until `nextCase` runs out. */
export async function runFuzz(o: RunOptions): Promise<void> {
  const worker = async () => {
    let wire: Wire | undefined;
    for (let c = o.nextCase(); c; c = o.nextCase()) wire = await runCase(o, c, wire);
    wire?.destroy();
  };
  await Promise.all(Array.from({ length: o.sockets }, worker));
}
