/**
 * Data frames on air (LoRaWAN 1.0.3 §4.3): MHDR | FHDR | [FPort | FRMPayload] | MIC, with
 * FHDR = DevAddr(4) | FCtrl | FCnt(2) | FOpts(0..15). FRMPayload stays encrypted here; data.ts
 * applies the keys.
 */
import { checkUint, copyOf, identifierFromWire, identifierToWire } from './bytes';
import { fail, ok, type Result } from './errors';
import { type DataMType, type Direction, directionOf, encodeMhdr, MAX_PHY_PAYLOAD, MIC_BYTES } from './mhdr';

const FHDR_BYTES = 7;
const MAX_FOPTS = 15;
/** MHDR | FHDR without FOpts | MIC. */
const MIN_DATA_FRAME = 1 + FHDR_BYTES + MIC_BYTES;

/** §4.3.1: bit 4 is ClassB uplink and FPending downlink; bit 6 is ADRACKReq uplink, RFU downlink. */
export interface FCtrl {
  adr: boolean;
  adrAckReq: boolean;
  ack: boolean;
  fPending: boolean;
  classB: boolean;
}

const ADR = 0x80;
const ADR_ACK_REQ = 0x40;
const ACK = 0x20;
const BIT4 = 0x10;
const FOPTS_LEN = 0x0f;

export interface DataFrame {
  mType: DataMType;
  devAddr: string;
  fCtrl: FCtrl;
  /** The 16 bits on air; fcnt.ts rebuilds the 32-bit counter. */
  fCnt16: number;
  fOpts: Uint8Array;
  /** Absent when the frame has no payload (§4.3.2). */
  fPort?: number;
  frmPayload: Uint8Array;
  /** MHDR through FRMPayload: what the MIC covers. */
  signed: Uint8Array;
  mic: Uint8Array;
}

function decodeFCtrl(byte: number, direction: Direction): FCtrl {
  const up = direction === 'up';
  return {
    adr: (byte & ADR) !== 0,
    adrAckReq: up && (byte & ADR_ACK_REQ) !== 0,
    ack: (byte & ACK) !== 0,
    fPending: !up && (byte & BIT4) !== 0,
    classB: up && (byte & BIT4) !== 0,
  };
}

/** `bytes` is the whole PHYPayload, at most MAX_PHY_PAYLOAD long and with a data MType. */
export function decodeDataFrame(bytes: Uint8Array, mType: DataMType): Result<DataFrame> {
  if (bytes.length < MIN_DATA_FRAME)
    return fail('phy_payload_too_short', 'a data frame is at least 12 bytes');
  const micAt = bytes.length - MIC_BYTES;
  const fCtrl = bytes[5]!;
  const fOptsEnd = 1 + FHDR_BYTES + (fCtrl & FOPTS_LEN);
  if (fOptsEnd > micAt) return fail('fopts_length', `FOptsLen ${fCtrl & FOPTS_LEN} runs past the MIC`);
  const fPort = fOptsEnd < micAt ? bytes[fOptsEnd] : undefined;
  if (fPort === 0 && fOptsEnd > 1 + FHDR_BYTES) {
    return fail('fopts_with_fport_zero', 'MAC commands in FOpts and FPort 0');
  }
  const frame: DataFrame = {
    mType,
    devAddr: identifierFromWire(bytes, 1, 4),
    fCtrl: decodeFCtrl(fCtrl, directionOf(mType)),
    fCnt16: bytes[6]! | (bytes[7]! << 8),
    fOpts: copyOf(bytes, 1 + FHDR_BYTES, fOptsEnd),
    frmPayload: copyOf(bytes, fPort === undefined ? micAt : fOptsEnd + 1, micAt),
    signed: copyOf(bytes, 0, micAt),
    mic: copyOf(bytes, micAt),
  };
  if (fPort !== undefined) frame.fPort = fPort;
  return ok(frame);
}

export interface DataFrameFields {
  mType: DataMType;
  devAddr: string;
  fCtrl?: Partial<FCtrl>;
  /** The 32-bit counter; its low 16 bits go on air. */
  fCnt: number;
  fOpts?: Uint8Array;
  fPort?: number;
  /** Already encrypted. */
  frmPayload?: Uint8Array;
}

function encodeFCtrl(f: Partial<FCtrl>, direction: Direction, fOptsLength: number): number {
  const up = direction === 'up';
  if (!up && (f.adrAckReq || f.classB)) throw new RangeError('ADRACKReq and ClassB are uplink bits');
  if (up && f.fPending) throw new RangeError('FPending is a downlink bit');
  return (
    (f.adr ? ADR : 0) |
    (f.adrAckReq ? ADR_ACK_REQ : 0) |
    (f.ack ? ACK : 0) |
    (f.fPending || f.classB ? BIT4 : 0) |
    fOptsLength
  );
}

/** MHDR through FRMPayload, to be followed by the MIC. Arguments our own code got wrong throw. */
export function encodeDataMessage(f: DataFrameFields): Buffer {
  const fOpts = f.fOpts ?? new Uint8Array(0);
  const payload = f.frmPayload ?? new Uint8Array(0);
  if (fOpts.length > MAX_FOPTS) throw new RangeError(`FOpts holds at most 15 bytes, got ${fOpts.length}`);
  if (f.fPort === undefined && payload.length > 0) throw new RangeError('a payload needs an FPort (§4.3.2)');
  if (f.fPort !== undefined) checkUint(f.fPort, 8, 'FPort');
  if (f.fPort === 0 && fOpts.length > 0) throw new RangeError('FOpts must be empty with FPort 0 (§4.3.1.6)');
  const portBytes = f.fPort === undefined ? 0 : 1;
  const length = 1 + FHDR_BYTES + fOpts.length + portBytes + payload.length;
  if (length + MIC_BYTES > MAX_PHY_PAYLOAD) throw new RangeError(`frame of ${length + MIC_BYTES} bytes`);
  const out = Buffer.alloc(length);
  out[0] = encodeMhdr(f.mType);
  identifierToWire(f.devAddr, 4, 'DevAddr').copy(out, 1);
  out[5] = encodeFCtrl(f.fCtrl ?? {}, directionOf(f.mType), fOpts.length);
  out.writeUInt16LE(checkUint(f.fCnt, 32, 'FCnt') & 0xffff, 6);
  out.set(fOpts, 8);
  if (f.fPort !== undefined) out[8 + fOpts.length] = f.fPort;
  out.set(payload, 8 + fOpts.length + portBytes);
  return out;
}
