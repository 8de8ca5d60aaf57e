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

/** Fixed header + topic, the part of a PUBLISH that precedes the packet identifier. */
function publishHead(topic: string, qos: 0 | 1, payloadLength: number, trailing: number): Buffer {
  const topicLength = Buffer.byteLength(topic);
  const remaining = 2 + topicLength + (qos === 1 ? 2 : 0) + payloadLength;
  const headLength = 1 + remainingLengthBytes(remaining) + 2 + topicLength;
  const buf = Buffer.allocUnsafe(headLength + trailing);
  buf[0] = PUBLISH | (qos === 1 ? QOS1 : 0);
  let at = writeRemainingLength(buf, 1, remaining);
  buf.writeUInt16BE(topicLength, at);
  at += 2;
  buf.write(topic, at, 'utf8');
  return buf;
}

/** A whole QoS 0 PUBLISH (DUP 0, RETAIN 0 [MQTT-3.3.1-2]). */
export function encodePublishQos0(topic: string, payload: Buffer): Buffer {
  const head = publishHead(topic, 0, payload.length, payload.length);
  payload.copy(head, head.length - payload.length);
  return head;
}

/** The head of a QoS 1 PUBLISH; a session appends its packet identifier, then the payload. */
export const encodePublishQos1Head = (topic: string, payloadLength: number): Buffer =>
  publishHead(topic, 1, payloadLength, 0);

/** `head` + a packet identifier, in one buffer so a QoS 1 delivery is two writes. */
export function withPacketId(head: Buffer, messageId: number): Buffer {
  const buf = Buffer.allocUnsafe(head.length + 2);
  head.copy(buf, 0);
  buf.writeUInt16BE(messageId, head.length);
  return buf;
}

function ack(type: number, messageId: number): Buffer {
  const buf = Buffer.allocUnsafe(4);
  buf[0] = type;
  buf[1] = 2;
  buf.writeUInt16BE(messageId, 2);
  return buf;
}

export const encodePuback = (messageId: number) => ack(0x40, messageId);
export const encodePubrec = (messageId: number) => ack(0x50, messageId);
/** PUBREL and PUBCOMP carry fixed flags 0010 and 0000 [MQTT-3.6.1-1]. */
export const encodePubcomp = (messageId: number) => ack(0x70, messageId);
export const encodeUnsuback = (messageId: number) => ack(0xb0, messageId);

export function encodeSuback(messageId: number, granted: readonly number[]): Buffer {
  const buf = Buffer.allocUnsafe(2 + remainingLengthBytes(2 + granted.length) + 2 + granted.length);
  buf[0] = 0x90;
  let at = writeRemainingLength(buf, 1, 2 + granted.length);
  buf.writeUInt16BE(messageId, at);
  at += 2;
  for (const code of granted) buf[at++] = code;
  return buf.subarray(0, at);
}

/** CONNACK return codes of MQTT 3.1.1 §3.2.2.3. */
export const ConnackCode = {
  accepted: 0x00,
  unacceptableProtocolVersion: 0x01,
  identifierRejected: 0x02,
  serverUnavailable: 0x03,
  badUsernameOrPassword: 0x04,
  notAuthorized: 0x05,
} as const;

export const encodeConnack = (code: number, sessionPresent = false): Buffer =>
  Buffer.from([0x20, 0x02, sessionPresent ? 1 : 0, code]);

/** MQTT 5 CONNACK with reason 0x84 (unsupported protocol version), for v5 clients we refuse. */
export const CONNACK_V5_UNSUPPORTED = Buffer.from([0x20, 0x03, 0x00, 0x84, 0x00]);
export const PINGRESP = Buffer.from([0xd0, 0x00]);
export const SUBACK_FAILURE = 0x80;
