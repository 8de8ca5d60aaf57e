/**
 * The frame around every message (LoRaWAN 1.0.3 §4.1): PHYPayload = MHDR | MACPayload | MIC, and
 * the MAC header (§4.2): MType in bits 7..5, RFU in 4..2, Major in 1..0.
 */
import { fail, ok, type Result } from './errors';

/** Indexed by the MType field (§4.2.1, Table 1); 110 and 111 are handled apart. */
const MTYPES = [
  'join_request',
  'join_accept',
  'unconfirmed_up',
  'unconfirmed_down',
  'confirmed_up',
  'confirmed_down',
] as const;

export type MType = (typeof MTYPES)[number];
export type DataMType = Exclude<MType, 'join_request' | 'join_accept'>;
export type Direction = 'up' | 'down';

/** The largest packet a LoRa radio sends; the regional limits are lower. */
export const MAX_PHY_PAYLOAD = 255;
export const MIC_BYTES = 4;

const MTYPE_RFU = 0b110;
const MTYPE_PROPRIETARY = 0b111;
/** §4.2.2: Major 00 is LoRaWAN R1, the only frame format 1.0.x defines. */
const MAJOR_LORAWAN_R1 = 0;

/** RFU bits are sent as zero (§1.2) and ignored on receipt: the MIC covers the byte as received. */
export const encodeMhdr = (mType: MType): number => (MTYPES.indexOf(mType) << 5) | MAJOR_LORAWAN_R1;

export function decodeMhdr(byte: number): Result<MType> {
  const major = byte & 0b11;
  if (major !== MAJOR_LORAWAN_R1) return fail('invalid_major', `Major ${major} is not LoRaWAN R1`);
  const field = byte >>> 5;
  if (field === MTYPE_RFU) return fail('invalid_mtype', 'MType 110 is RFU in LoRaWAN 1.0.x');
  if (field === MTYPE_PROPRIETARY) return fail('proprietary_mtype', 'proprietary frames are not supported');
  // The two values left out of MTYPES are handled above, so the index is always in range.
  return ok(MTYPES[field]!);
}

export const isDataMType = (mType: MType): mType is DataMType =>
  mType !== 'join_request' && mType !== 'join_accept';

/** Uplinks have even MType values (§4.2.1). */
export const directionOf = (mType: DataMType): Direction => (MTYPES.indexOf(mType) % 2 === 0 ? 'up' : 'down');

export const isConfirmed = (mType: DataMType): boolean =>
  mType === 'confirmed_up' || mType === 'confirmed_down';

export const dataMType = (direction: Direction, confirmed: boolean): DataMType =>
  direction === 'up'
    ? confirmed
      ? 'confirmed_up'
      : 'unconfirmed_up'
    : confirmed
      ? 'confirmed_down'
      : 'unconfirmed_down';
