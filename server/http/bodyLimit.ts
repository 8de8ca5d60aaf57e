/**
 * The request body limit, counted while the body streams in (issue 17, item 2). Next copies a
 * body into memory as it arrives, whether or not a handler reads it: one 300 MB chunked POST to
 * the login route once added 820 MB of RSS. So the custom server holds each body back from Next
 * — counting, and keeping at most `limit` bytes — until it has ended: within the limit, the
 * bytes are handed on unchanged; past it, the rest is dropped unread and the client gets 413
 * before any route or authentication runs.
 */
import { IncomingMessage } from 'node:http';

export type BodyVerdict = 'complete' | 'too-large';

/** Node's `IncomingMessage` with the body held back; pass the class as `createServer`'s option. */
export class HeldBodyMessage extends IncomingMessage {
  private held: Buffer[] = [];
  private heldBytes = 0;
  private mode: 'holding' | 'released' | 'dropping' = 'holding';
  private ended = false;
  private limit = Number.POSITIVE_INFINITY;
  private settle: ((verdict: BodyVerdict) => void) | undefined;

  // The HTTP parser pushes each body chunk, then null at its end.
  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    if (this.mode === 'released') return super.push(chunk, encoding);
    if (chunk === null) {
      this.ended = true;
      if (this.mode === 'dropping') return super.push(null);
      this.settle?.('complete');
      return false;
    }
    if (this.mode === 'dropping') return true;
    const buffer = chunk as Buffer;
    this.heldBytes += buffer.length;
    if (this.heldBytes > this.limit) return this.overflow();
    this.held.push(buffer);
    return true;
  }

  /**
   * Resolves once the body has ended within `limit` bytes, or as soon as it passes them — at
   * once when its declared length does. Call it as the request arrives: until then nothing
   * bounds what is held.
   */
  bodyWithin(limit: number): Promise<BodyVerdict> {
    this.limit = limit;
    const declared = this.headers['content-length'];
    if (
      this.mode === 'holding' &&
      (this.heldBytes > limit || (declared !== undefined && Number(declared) > limit))
    )
      this.overflow();
    if (this.mode === 'dropping') return Promise.resolve('too-large');
    if (this.ended) return Promise.resolve('complete');
    return new Promise((resolve) => {
      this.settle = resolve;
    });
  }

  /** Hands the held body on to whoever reads the request next (Next's handler). */
  release() {
    if (this.mode !== 'holding') return;
    this.mode = 'released';
    const chunks = this.held;
    this.held = [];
    for (const chunk of chunks) super.push(chunk);
    if (this.ended) super.push(null);
  }

  private overflow(): boolean {
    this.mode = 'dropping';
    this.held = [];
    this.settle?.('too-large');
    if (this.ended) super.push(null);
    return true;
  }
}
