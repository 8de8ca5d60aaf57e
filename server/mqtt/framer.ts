/**
 * Cuts the byte stream into whole MQTT packets (fixed header §2.2: a type byte, then the
 * remaining length in 1–4 bytes) before mqtt-packet parses them. mqtt-packet checks several
 * fields against the bytes it holds rather than the packet's length (a packet identifier, a
 * property, a reason code), so a packet shorter than its fields read into the next packet and
 * parsed differently depending on how TCP split the stream. Given one whole packet at a time,
 * it sees exactly the packet. The announced length is checked before the body is buffered.
 */

export type FrameError = 'malformed-length' | 'too-large';

export class Framer {
  /** Bytes of a packet not complete yet (most often none). */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Total size of the pending packet, once its fixed header is in. */
  private need = 0;

  /**
   * `onPacket` gets each whole packet and returns false to stop (the connection closed).
   * `maxPacketSize` counts the fixed header too, as MQTT 5's Maximum Packet Size does.
   */
  constructor(
    private readonly maxPacketSize: number,
    private readonly onPacket: (packet: Buffer) => boolean,
  ) {}

  /** Bytes buffered towards the next packet. */
  get buffered(): number {
    return this.pendingBytes;
  }

  push(chunk: Buffer): FrameError | undefined {
    if (this.pendingBytes === 0) return this.scan(chunk);
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    // Wait for the whole packet without copying; a header still incomplete is at most 4 bytes.
    if (this.need > 0 && this.pendingBytes < this.need) return undefined;
    const joined = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.need = 0;
    return this.scan(joined);
  }

  private scan(buf: Buffer): FrameError | undefined {
    let i = 0;
    while (i < buf.length) {
      // Remaining length: 7 bits a byte, least significant first, at most 4 bytes [MQTT-1.5.5].
      let length = 0;
      let header = 0;
      for (let k = 1; k <= 4 && i + k < buf.length; k++) {
        const byte = buf[i + k]!; // in range by the loop bound; no second check per byte
        length += (byte & 0x7f) * 128 ** (k - 1);
        if ((byte & 0x80) === 0) {
          header = k + 1;
          break;
        }
        if (k === 4) return 'malformed-length';
      }
      if (header === 0) {
        this.hold(buf.subarray(i), 0);
        return undefined;
      }
      const total = header + length;
      if (total > this.maxPacketSize) return 'too-large';
      if (i + total > buf.length) {
        this.hold(buf.subarray(i), total);
        return undefined;
      }
      if (!this.onPacket(buf.subarray(i, i + total))) return undefined;
      i += total;
    }
    return undefined;
  }

  private hold(rest: Buffer, need: number) {
    this.pending = [rest];
    this.pendingBytes = rest.length;
    this.need = need;
  }
}
