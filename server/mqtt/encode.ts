/**
 * Hand-rolled encoders for the packets the server sends most (MQTT 3.1/3.1.1 §3). A PUBLISH is
 * encoded once per bus message and the same bytes go to every subscriber; QoS 1 shares the
 * head and the payload and only the 2-byte packet identifier differs per session.
 */

const PUBLISH = 0x30;
const QOS1 = 0x02;

function remainingLengthBytes(n: number): number {
  return n < 128 ? 1 : n < 16_384 ? 2 : n < 2_097_152 ? 3 : 4;
}

function writeRemainingLength(buf: Buffer, offset: number, n: number): number {
  let value = n;
  let at = offset;
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    buf[at++] = byte;
  } while (value > 0);
  return at;
}

/**
 * Fixed header + topic (+ MQTT 5's empty property length for QoS 0): the part of a PUBLISH
 * before the packet identifier.
 */
function publishHead(
  topic: string,
  qos: 0 | 1,
  payloadLength: number,
  trailing: number,
  v5: boolean,
): Buffer {
  const topicLength = Buffer.byteLength(topic);
  const remaining = 2 + topicLength + (qos === 1 ? 2 : 0) + (v5 ? 1 : 0) + payloadLength;
  const headLength = 1 + remainingLengthBytes(remaining) + 2 + topicLength + (v5 && qos === 0 ? 1 : 0);
  const buf = Buffer.allocUnsafe(headLength + trailing);
  buf[0] = PUBLISH | (qos === 1 ? QOS1 : 0);
  let at = writeRemainingLength(buf, 1, remaining);
  buf.writeUInt16BE(topicLength, at);
  at += 2;
  at += buf.write(topic, at, 'utf8');
  if (v5 && qos === 0) buf[at] = 0;
  return buf;
}

/** A whole QoS 0 PUBLISH (DUP 0, RETAIN 0 [MQTT-3.3.1-2]). */
export function encodePublishQos0(topic: string, payload: Buffer, v5 = false): Buffer {
  const head = publishHead(topic, 0, payload.length, payload.length, v5);
  payload.copy(head, head.length - payload.length);
  return head;
}

/** The head of a QoS 1 PUBLISH; a session appends its packet identifier, then the payload. */
export const encodePublishQos1Head = (topic: string, payloadLength: number, v5 = false): Buffer =>
  publishHead(topic, 1, payloadLength, 0, v5);

/** `head` + a packet identifier (+ MQTT 5's empty properties), so a QoS 1 delivery is two writes. */
export function withPacketId(head: Buffer, messageId: number, v5 = false): Buffer {
  const buf = Buffer.allocUnsafe(head.length + (v5 ? 3 : 2));
  head.copy(buf, 0);
  buf.writeUInt16BE(messageId, head.length);
  if (v5) buf[head.length + 2] = 0;
  return buf;
}

/**
 * One bus message's PUBLISH bytes, encoded on first use per QoS and protocol version and then
 * shared by every session that takes that variant.
 */
export class EncodedPublish {
  private qos0v4: Buffer | undefined;
  private qos0v5: Buffer | undefined;
  private qos1v4: Buffer | undefined;
  private qos1v5: Buffer | undefined;

  constructor(
    readonly topic: string,
    readonly payload: Buffer,
  ) {}

  qos0(v5: boolean): Buffer {
    if (v5) {
      this.qos0v5 ??= encodePublishQos0(this.topic, this.payload, true);
      return this.qos0v5;
    }
    this.qos0v4 ??= encodePublishQos0(this.topic, this.payload);
    return this.qos0v4;
  }

  qos1Head(v5: boolean): Buffer {
    if (v5) {
      this.qos1v5 ??= encodePublishQos1Head(this.topic, this.payload.length, true);
      return this.qos1v5;
    }
    this.qos1v4 ??= encodePublishQos1Head(this.topic, this.payload.length);
    return this.qos1v4;
  }
}

/** MQTT 5 omits a success reason code; any other goes after the identifier [MQTT-3.4.2-1]. */
function ack(type: number, messageId: number, reasonCode = 0): Buffer {
  const buf = Buffer.allocUnsafe(reasonCode === 0 ? 4 : 5);
  buf[0] = type;
  buf[1] = reasonCode === 0 ? 2 : 3;
  buf.writeUInt16BE(messageId, 2);
  if (reasonCode !== 0) buf[4] = reasonCode;
  return buf;
}

/** `reasonCode` only for MQTT 5 sessions. */
export const encodePuback = (messageId: number, reasonCode = 0) => ack(0x40, messageId, reasonCode);
export const encodePubrec = (messageId: number, reasonCode = 0) => ack(0x50, messageId, reasonCode);
/** PUBREL and PUBCOMP carry fixed flags 0010 and 0000 [MQTT-3.6.1-1]. */
export const encodePubcomp = (messageId: number, reasonCode = 0) => ack(0x70, messageId, reasonCode);

/** SUBACK, and MQTT 5's UNSUBACK, which also carries a reason code per filter. */
function acks(type: number, messageId: number, codes: readonly number[], v5: boolean): Buffer {
  const remaining = 2 + (v5 ? 1 : 0) + codes.length;
  const buf = Buffer.allocUnsafe(1 + remainingLengthBytes(remaining) + remaining);
  buf[0] = type;
  let at = writeRemainingLength(buf, 1, remaining);
  buf.writeUInt16BE(messageId, at);
  at += 2;
  if (v5) buf[at++] = 0;
  for (const code of codes) buf[at++] = code;
  return buf;
}

export const encodeSuback = (messageId: number, granted: readonly number[], v5 = false) =>
  acks(0x90, messageId, granted, v5);

/** MQTT 3.1.1's UNSUBACK has no payload; MQTT 5's has one reason code per filter. */
export const encodeUnsuback = (messageId: number, codes?: readonly number[]) =>
  codes ? acks(0xb0, messageId, codes, true) : ack(0xb0, messageId);

/** MQTT 5 server DISCONNECT: reason code, properties omitted [MQTT-3.14.2.2.1]. */
export const encodeDisconnectV5 = (reasonCode: number) => Buffer.from([0xe0, 0x01, reasonCode]);

/** MQTT 3.1/3.1.1 CONNACK (§3.2); MQTT 5's, with properties, comes from mqtt-packet. */
export const encodeConnack = (code: number, sessionPresent = false): Buffer =>
  Buffer.from([0x20, 0x02, sessionPresent ? 1 : 0, code]);

/** The same bytes for every accepted MQTT 3.1/3.1.1 session: shared, never written into. */
export const CONNACK_ACCEPTED = encodeConnack(0, false);

export const PINGRESP = Buffer.from([0xd0, 0x00]);
