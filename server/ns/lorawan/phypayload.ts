/**
 * The entry point for untrusted bytes: checks the PHYPayload's bounds and MHDR (LoRaWAN 1.0.3
 * §4.1, §4.2) and hands the rest to the decoder of its frame type. Every path returns a value;
 * nothing here throws or reads past the input.
 */
import { type DataFrame, decodeDataFrame } from './dataFrame';
import { fail, ok, type Result } from './errors';
import {
  decodeJoinAccept,
  decodeJoinRequest,
  type JoinAcceptFrame,
  type JoinRequestFrame,
} from './joinFrames';
import { decodeMhdr, MAX_PHY_PAYLOAD } from './mhdr';

export type Frame = JoinRequestFrame | JoinAcceptFrame | DataFrame;

export function decodePhyPayload(bytes: Uint8Array): Result<Frame> {
  if (bytes.length === 0) return fail('phy_payload_too_short', 'empty PHYPayload');
  if (bytes.length > MAX_PHY_PAYLOAD) {
    return fail(
      'phy_payload_too_long',
      `${bytes.length} bytes; a LoRa packet holds at most ${MAX_PHY_PAYLOAD}`,
    );
  }
  const mhdr = decodeMhdr(bytes[0]!);
  if (!mhdr.ok) return mhdr;
  switch (mhdr.value) {
    case 'join_request':
      return decodeJoinRequest(bytes);
    case 'join_accept':
      return decodeJoinAccept(bytes);
    default:
      return decodeDataFrame(bytes, mhdr.value);
  }
}

/**
 * For parsers that need one kind of frame: bytes are decoded first, and a frame the network has
 * already decoded (to find the device by DevAddr or EUI) is taken as it is.
 */
export function expectFrame<F extends Frame>(
  input: Uint8Array | Frame,
  is: (frame: Frame) => frame is F,
  expected: string,
): Result<F> {
  const decoded = input instanceof Uint8Array ? decodePhyPayload(input) : ok(input);
  if (!decoded.ok) return decoded;
  if (!is(decoded.value)) return fail('unexpected_mtype', `expected ${expected}, got ${decoded.value.mType}`);
  return ok(decoded.value);
}
