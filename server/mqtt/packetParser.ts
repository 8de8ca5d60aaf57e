/**
 * mqtt-packet's parser, shared by every connection. Each connection used to hold its own: an
 * EventEmitter with a BufferList *stream* (a Duplex, with both stream states) and the CONNECT
 * packet kept as its settings — about a third of an idle connection's heap (issue 18). The Framer
 * hands over one whole packet at a time and parsing is synchronous, so a parser is back at rest
 * after each packet and can serve the next connection. What differs between connections is only
 * the protocol level the packets are read at: one parser per level, and one for CONNECT. The
 * usual CONNECT does not need it at all (connectParser.ts).
 */
import { parser as createParser, type Packet, type Parser } from 'mqtt-packet';
import { parseSimpleConnect } from './connectParser';

/** Where a parsed packet goes. */
export interface ParseTarget {
  /** The level CONNECT announced, set here as the CONNECT is parsed; packets after it are read at it. */
  parseLevel: number | undefined;
  onPacket(packet: Packet): void;
  onParseError(error: Error): void;
}

/** What mqtt-packet keeps between calls; reset if a packet left anything behind. */
interface ParserInternals {
  settings: object;
  error: Error | null;
  _list: { length: number };
  _stateCounter: number;
  /** Read offset in the packet; `_resetState()` leaves it where an error stopped. */
  _pos: number;
  _resetState(): void;
}

class SharedParser {
  private readonly parser: Parser;
  private readonly internals: ParserInternals;
  private target: ParseTarget | undefined;

  constructor(private readonly settings: { protocolVersion?: number }) {
    this.parser = createParser(settings);
    this.internals = this.parser as unknown as ParserInternals;
    this.parser.on('packet', (packet: Packet) => {
      const target = this.target as ParseTarget;
      if (packet.cmd === 'connect') target.parseLevel ??= packet.protocolVersion;
      target.onPacket(packet);
    });
    this.parser.on('error', (e: Error) => this.target?.onParseError(e));
  }

  get busy(): boolean {
    return this.target !== undefined;
  }

  parse(packet: Buffer, target: ParseTarget) {
    this.target = target;
    try {
      this.parser.parse(packet);
    } finally {
      this.target = undefined;
      const p = this.internals;
      // CONNECT makes itself the parser's settings; the next connection must not inherit them.
      p.settings = this.settings;
      if (p.error || p._list.length > 0 || p._stateCounter !== 0) {
        p._resetState();
        p._pos = 0;
      }
    }
  }
}

const forConnect = new SharedParser({});
const byLevel = new Map<number, SharedParser>();

/**
 * Parses one whole packet (server/mqtt/framer.ts) for `target`, synchronously. A handler that
 * parses for another connection while this one runs (none does today) gets a parser of its own.
 */
export function parsePacket(packet: Buffer, target: ParseTarget) {
  const level = target.parseLevel;
  if (level === undefined) {
    const connect = parseSimpleConnect(packet);
    if (connect) {
      target.parseLevel = connect.protocolVersion;
      target.onPacket(connect);
      return;
    }
  }
  let parser = level === undefined ? forConnect : byLevel.get(level);
  if (parser === undefined) {
    parser = new SharedParser({ protocolVersion: level });
    byLevel.set(level as number, parser);
  }
  if (parser.busy) parser = new SharedParser(level === undefined ? {} : { protocolVersion: level });
  parser.parse(packet, target);
}
