/**
 * Join frames on air (LoRaWAN 1.0.3 §6.2.4, §6.2.5), without their cryptography: the MIC and
 * the JoinAccept's encryption are applied by join.ts.
 */
import { checkUint, copyOf, identifierFromWire, identifierToWire } from './bytes';
import { fail, ok, type Result } from './errors';
import { encodeMhdr, MIC_BYTES } from './mhdr';

/** MHDR | JoinEUI(8) | DevEUI(8) | DevNonce(2) | MIC(4). */
const JOIN_REQUEST_BYTES = 23;
/** MHDR | AppNonce(3) | NetID(3) | DevAddr(4) | DLSettings | RxDelay | [CFList(16)] | MIC(4). */
const JOIN_ACCEPT_BYTES = 17;
const CFLIST_BYTES = 16;

export interface JoinRequestFrame {
  mType: 'join_request';
  joinEui: string;
  devEui: string;
  devNonce: number;
  /** MHDR through DevNonce: what the MIC covers. */
  signed: Uint8Array;
  mic: Uint8Array;
}

export function decodeJoinRequest(bytes: Uint8Array): Result<JoinRequestFrame> {
  if (bytes.length < JOIN_REQUEST_BYTES) return fail('phy_payload_too_short', 'a JoinRequest is 23 bytes');
  if (bytes.length > JOIN_REQUEST_BYTES) return fail('phy_payload_too_long', 'a JoinRequest is 23 bytes');
  const end = JOIN_REQUEST_BYTES - MIC_BYTES;
  return ok({
    mType: 'join_request',
    joinEui: identifierFromWire(bytes, 1, 8),
    devEui: identifierFromWire(bytes, 9, 8),
    devNonce: bytes[17]! | (bytes[18]! << 8),
    signed: copyOf(bytes, 0, end),
    mic: copyOf(bytes, end),
  });
}

export interface JoinRequestFields {
  joinEui: string;
  devEui: string;
  devNonce: number;
}

/** MHDR through DevNonce, to be followed by the MIC. */
export function encodeJoinRequestMessage(f: JoinRequestFields): Buffer {
  const out = Buffer.alloc(JOIN_REQUEST_BYTES - MIC_BYTES);
  out[0] = encodeMhdr('join_request');
  identifierToWire(f.joinEui, 8, 'JoinEUI').copy(out, 1);
  identifierToWire(f.devEui, 8, 'DevEUI').copy(out, 9);
  out.writeUInt16LE(checkUint(f.devNonce, 16, 'DevNonce'), 17);
  return out;
}

/** Still encrypted: only the AppKey's holder can read it. */
export interface JoinAcceptFrame {
  mType: 'join_accept';
  mhdr: number;
  /** Everything after MHDR, MIC included. */
  encrypted: Uint8Array;
}

export function decodeJoinAccept(bytes: Uint8Array): Result<JoinAcceptFrame> {
  if (bytes.length < JOIN_ACCEPT_BYTES) {
    return fail('phy_payload_too_short', 'a JoinAccept is 17 or 33 bytes');
  }
  if (bytes.length > JOIN_ACCEPT_BYTES + CFLIST_BYTES) {
    return fail('phy_payload_too_long', 'a JoinAccept is 17 or 33 bytes');
  }
  if (bytes.length !== JOIN_ACCEPT_BYTES && bytes.length !== JOIN_ACCEPT_BYTES + CFLIST_BYTES) {
    return fail('invalid_join_accept_length', `a JoinAccept is 17 or 33 bytes, got ${bytes.length}`);
  }
  return ok({ mType: 'join_accept', mhdr: bytes[0]!, encrypted: copyOf(bytes, 1) });
}

export interface JoinAcceptFields {
  /** AppNonce (1.0.4: JoinNonce), 24 bits. */
  appNonce: number;
  netId: string;
  devAddr: string;
  /** DLSettings bits 6..4 (§5.4). */
  rx1DrOffset: number;
  /** DLSettings bits 3..0 (§5.4). */
  rx2DataRate: number;
  /** RxDelay's Del field: RX1 opens Del seconds after the uplink, 0 meaning 1 (§5.7). */
  rxDelay: number;
  /** 16 bytes whose meaning the regional parameters define. */
  cfList?: Uint8Array;
}

/** The plaintext, MHDR through CFList, over which the MIC is computed (§6.2.5). */
export function encodeJoinAcceptMessage(f: JoinAcceptFields): Buffer {
  if (f.cfList && f.cfList.length !== CFLIST_BYTES) throw new RangeError('CFList must be 16 bytes');
  const out = Buffer.alloc(JOIN_ACCEPT_BYTES - MIC_BYTES + (f.cfList ? CFLIST_BYTES : 0));
  out[0] = encodeMhdr('join_accept');
  out.writeUIntLE(checkUint(f.appNonce, 24, 'AppNonce'), 1, 3);
  identifierToWire(f.netId, 3, 'NetID').copy(out, 4);
  identifierToWire(f.devAddr, 4, 'DevAddr').copy(out, 7);
  out[11] = (checkUint(f.rx1DrOffset, 3, 'RX1DRoffset') << 4) | checkUint(f.rx2DataRate, 4, 'RX2DataRate');
  out[12] = checkUint(f.rxDelay, 4, 'RxDelay');
  if (f.cfList) out.set(f.cfList, 13);
  return out;
}

/** Reads the plaintext MHDR through CFList; its length (13 or 29) is checked by the caller. */
export function decodeJoinAcceptMessage(plain: Uint8Array): JoinAcceptFields {
  const buf = Buffer.from(plain.buffer, plain.byteOffset, plain.length);
  const fields: JoinAcceptFields = {
    appNonce: buf.readUIntLE(1, 3),
    netId: identifierFromWire(buf, 4, 3),
    devAddr: identifierFromWire(buf, 7, 4),
    // Bit 7 of DLSettings and bits 7..4 of RxDelay are RFU in 1.0.x.
    rx1DrOffset: (buf[11]! >>> 4) & 0b111,
    rx2DataRate: buf[11]! & 0x0f,
    rxDelay: buf[12]! & 0x0f,
  };
  if (buf.length === JOIN_ACCEPT_BYTES - MIC_BYTES + CFLIST_BYTES) fields.cfList = copyOf(buf, 13);
  return fields;
}
