/**
 * Rebuilds the 32-bit frame counter from the 16 bits on air (LoRaWAN 1.0.3 §4.3.1.5): the
 * receiver keeps the last counter it accepted and takes a new one only when it has moved
 * forward by less than MAX_FCNT_GAP, counting rollovers of the 16-bit field. Used for FCntUp by
 * the network and for FCntDown by a simulated device.
 */

/** MAX_FCNT_GAP as the LoRaWAN 1.0.x regional parameters define it. */
export const MAX_FCNT_GAP = 16_384;
const MAX_FCNT = 0xffff_ffff;

export type FCntCheck =
  /** Ahead of the last one; `lost` frames were never seen in between. */
  | { kind: 'new'; fCnt: number; lost: number }
  /** Equal to the last one: a repetition (NbTrans) or a retransmission of a confirmed frame. */
  | { kind: 'duplicate'; fCnt: number }
  | { kind: 'replay' }
  | { kind: 'gap_too_large' }
  | { kind: 'exhausted' };

const gapTooLarge: FCntCheck = { kind: 'gap_too_large' };
const replay: FCntCheck = { kind: 'replay' };
const exhausted: FCntCheck = { kind: 'exhausted' };

/**
 * `last` is the last counter accepted in this session, undefined before the first frame (the
 * counter starts at 0 after a join or an ABP reset, §4.3.1.5). Only the MIC tells whether the
 * frame is genuine: check it with the returned `fCnt` before storing that as the new `last`.
 */
export function checkFCnt(fCnt16: number, last: number | undefined, maxGap = MAX_FCNT_GAP): FCntCheck {
  if (last === undefined) return fCnt16 < maxGap ? { kind: 'new', fCnt: fCnt16, lost: fCnt16 } : gapTooLarge;
  const delta = (fCnt16 - last) & 0xffff;
  if (delta === 0) return { kind: 'duplicate', fCnt: last };
  if (delta < maxGap) {
    const fCnt = last + delta;
    return fCnt > MAX_FCNT ? exhausted : { kind: 'new', fCnt, lost: delta - 1 };
  }
  // Refused either way; a counter in the half of the 16-bit circle behind `last` most likely is
  // an old frame played again, one in the half ahead a device that lost or reset its counter.
  return delta > 0x8000 ? replay : gapTooLarge;
}
