/**
 * The CONNECT nearly every client sends — MQTT 3.1.1, no will — read straight from the bytes.
 * mqtt-packet's parser copies the packet into a BufferList, walks a state machine and calls its
 * `debug` logger a dozen times: a sixth of the server's time in a connection storm (issue 18).
 * Anything else (MQTT 3.1 or 5, a will, a reserved bit, a field that does not fit, bytes left
 * over) is answered undefined and goes to mqtt-packet, so every refusal and error stays its.
 * What this returns is what mqtt-packet would emit for the same bytes (connectParser.test.ts).
 */
import type { IConnectPacket } from 'mqtt-packet';

/** Fixed header byte of CONNECT: type 1, flags 0000 [MQTT-2.2.2-1]. */
const CONNECT = 0x10;
/** Protocol name `MQTT` with its length, then level 4 [MQTT-3.1.2-1]. */
const MQTT_311 = [0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x04];
const USERNAME = 0x80;
const PASSWORD = 0x40;
const CLEAN_SESSION = 0x02;
/** Will retain, will QoS, will flag, reserved (§3.1.2.3): any of them set takes the long way. */
const NOT_HERE = 0x3d;

/** The packet mqtt-packet's parser would emit for `packet` (one whole packet), or undefined. */
export function parseSimpleConnect(packet: Buffer): IConnectPacket | undefined {
  if (packet[0] !== CONNECT) return undefined;
  // Remaining length, 1–4 bytes [MQTT-1.5.5]: the framer cut the packet to it; checked again here.
  let length = 0;
  let at = 1;
  for (let shift = 1; ; shift *= 128) {
    if (at > 4) return undefined;
    const byte = packet[at++] ?? 0;
    length += (byte & 0x7f) * shift;
    if ((byte & 0x80) === 0) break;
  }
  if (length !== packet.length - at || length < 10) return undefined;
  for (let i = 0; i < MQTT_311.length; i++) if (packet[at + i] !== MQTT_311[i]) return undefined;
  at += MQTT_311.length;
  const flags = packet[at++] as number;
  if (flags & NOT_HERE) return undefined;
  const keepalive = packet.readUInt16BE(at);
  at += 2;
  const clientIdEnd = fieldEnd(packet, at);
  if (clientIdEnd < 0) return undefined;
  const clientId = packet.toString('utf8', at + 2, clientIdEnd);
  at = clientIdEnd;
  let username: string | undefined;
  if (flags & USERNAME) {
    const end = fieldEnd(packet, at);
    if (end < 0) return undefined;
    username = packet.toString('utf8', at + 2, end);
    at = end;
  }
  let password: Buffer | undefined;
  if (flags & PASSWORD) {
    const end = fieldEnd(packet, at);
    if (end < 0) return undefined;
    password = packet.subarray(at + 2, end);
    at = end;
  }
  if (at !== packet.length) return undefined;
  // The same fields, in the same order, as mqtt-packet's Packet and _parseConnect; its types
  // leave out the header fields every parsed packet carries.
  const parsed: IConnectPacket & HeaderFields = {
    cmd: 'connect',
    retain: false,
    qos: 0,
    dup: false,
    length,
    topic: null,
    payload: null,
    protocolId: 'MQTT',
    protocolVersion: 4,
    clean: (flags & CLEAN_SESSION) !== 0,
    keepalive,
    clientId,
  };
  if (username !== undefined) parsed.username = username;
  if (password !== undefined) parsed.password = password;
  return parsed;
}

interface HeaderFields {
  retain: false;
  qos: 0;
  dup: false;
  topic: null;
  payload: null;
}

/** Where a 2-byte-length-prefixed field starting at `at` ends, or -1 if it does not fit. */
function fieldEnd(packet: Buffer, at: number): number {
  if (at + 2 > packet.length) return -1;
  const end = at + 2 + packet.readUInt16BE(at);
  return end > packet.length ? -1 : end;
}
