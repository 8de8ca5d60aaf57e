/**
 * A BusMessage on the wire between instances (server/bus/redisBus.ts): the sender's 16-byte
 * origin, a 2-byte length, the envelope as JSON, then the payload's bytes as they are. The
 * payload (the serialized ApplicationUp, most of the size) is neither re-encoded nor
 * base64'd, and the origin sits first so an instance skips its own echo without parsing.
 */
import type { BusMessage } from './bus';

const ORIGIN = 16;

interface Envelope {
  a: string;
  d: string;
  e: BusMessage['event'];
  t: string;
  y: string;
  r: string;
  c: readonly string[];
  u?: 'console';
}

export function encodeBusMessage(origin: Buffer, m: BusMessage): Buffer {
  const envelope: Envelope = {
    a: m.applicationId,
    d: m.deviceId,
    e: m.event,
    t: m.topic,
    y: m.type,
    r: m.receivedAt,
    c: m.correlationIds,
  };
  if (m.audience) envelope.u = m.audience;
  const header = Buffer.from(JSON.stringify(envelope));
  if (header.length > 0xffff) throw new RangeError('bus message envelope over 64 KiB');
  const frame = Buffer.allocUnsafe(ORIGIN + 2 + header.length + m.payload.length);
  origin.copy(frame, 0, 0, ORIGIN);
  frame.writeUInt16BE(header.length, ORIGIN);
  header.copy(frame, ORIGIN + 2);
  m.payload.copy(frame, ORIGIN + 2 + header.length);
  return frame;
}

export function sentBy(frame: Buffer, origin: Buffer): boolean {
  return frame.length >= ORIGIN && origin.compare(frame, 0, ORIGIN, 0, ORIGIN) === 0;
}

/** Undefined for a frame that is not one (another program on the channel). */
export function decodeBusMessage(frame: Buffer): BusMessage | undefined {
  if (frame.length < ORIGIN + 2) return undefined;
  const length = frame.readUInt16BE(ORIGIN);
  const start = ORIGIN + 2 + length;
  if (start > frame.length) return undefined;
  let e: Envelope;
  try {
    e = JSON.parse(frame.toString('utf8', ORIGIN + 2, start)) as Envelope;
  } catch {
    return undefined;
  }
  const message: BusMessage = {
    applicationId: e.a,
    deviceId: e.d,
    event: e.e,
    topic: e.t,
    // A view, not a copy: the frame is this message's alone.
    payload: frame.subarray(start),
    type: e.y,
    receivedAt: e.r,
    correlationIds: e.c,
  };
  if (e.u) message.audience = e.u;
  return message;
}
