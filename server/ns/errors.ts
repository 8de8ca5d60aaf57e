import { defineError } from '../../lib/errors';

/**
 * Why the network layer drops a frame, besides the frame layer's own reasons (FrameErrorName in
 * lorawan/errors.ts). Dropping is an ordinary outcome: these are reported through `onDrop` and
 * counted, never thrown out of `handleUplink`.
 */
const NS = 'pkg/networkserver';

export const unknownDevAddr = defineError(
  NS,
  'unknown_dev_addr',
  'not_found',
  'no device with DevAddr `{dev_addr}`',
);

export const unknownJoinEui = defineError(
  NS,
  'unknown_join_eui',
  'not_found',
  'no OTAA device with JoinEUI `{join_eui}` and DevEUI `{dev_eui}`',
);

export const devNonceReused = defineError(
  NS,
  'dev_nonce_reused',
  'invalid_argument',
  'DevNonce {dev_nonce} was used before',
);

/** The same FCnt again after the dedup window: a repetition or retransmission (§4.3.1.5). */
export const duplicateUplink = defineError(
  NS,
  'duplicate_uplink',
  'already_exists',
  'FCnt {f_cnt} seen before',
);

/**
 * A JoinRequest heard only by gateways that cannot take a downlink now: accepting it would give
 * the network a session the device never receives.
 */
export const noDownlinkPath = defineError(
  NS,
  'no_downlink_path',
  'unavailable',
  'no gateway that heard the JoinRequest can transmit the JoinAccept',
);

export const invalidNetId = defineError(NS, 'invalid_net_id', 'invalid_argument', 'invalid NetID `{net_id}`');

/** The registry or the AS failed while a frame was handled: the frame is lost, the NS runs on. */
export const uplinkFailed = defineError(NS, 'uplink_failed', 'internal', 'handling the uplink failed');
