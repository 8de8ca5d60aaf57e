/**
 * What decoding or verifying a frame can refuse, as values with a stable name: frames come from
 * the air, so a bad one is an ordinary outcome the network layer counts and reports (`up/drop`
 * with `error.name`), never an exception.
 */
export type FrameErrorName =
  /** Fewer bytes than the frame type needs (LoRaWAN 1.0.3 §4, §6.2.4, §6.2.5). */
  | 'phy_payload_too_short'
  /** More than a LoRa packet can hold (MAX_PHY_PAYLOAD), or more than the frame type has. */
  | 'phy_payload_too_long'
  /** MType 110, RFU in 1.0.x (§4.2.1; 1.1's RejoinRequest). */
  | 'invalid_mtype'
  /** MType 111 (§4.2.1): a proprietary frame, whose format the spec leaves open. */
  | 'proprietary_mtype'
  /** Major other than LoRaWAN R1 (§4.2.2). */
  | 'invalid_major'
  /** An encrypted JoinAccept is 17 bytes, or 33 with a CFList (§6.2.5). */
  | 'invalid_join_accept_length'
  /** FOptsLen (FCtrl) runs past the MIC (§4.3.1.6). */
  | 'fopts_length'
  /** MAC commands in FOpts while FPort is 0 (§4.3.1.6). */
  | 'fopts_with_fport_zero'
  /** The MIC does not match the frame under the given key (§4.4, §6.2.4, §6.2.5). */
  | 'mic_mismatch'
  /** A well-formed frame of another type than the caller asked to parse. */
  | 'unexpected_mtype'
  /** The 16-bit FCnt is behind the last one accepted (§4.3.1.5). */
  | 'fcnt_replay'
  /** The FCnt is ahead of the last one by MAX_FCNT_GAP or more (§4.3.1.5). */
  | 'fcnt_gap_too_large'
  /** The 32-bit counter would pass 0xFFFFFFFF: the session must be renewed. */
  | 'fcnt_exhausted';

export interface FrameError {
  name: FrameErrorName;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: FrameError };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });

export const fail = (name: FrameErrorName, message: string): { ok: false; error: FrameError } => ({
  ok: false,
  error: { name, message },
});
