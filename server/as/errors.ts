import { defineError } from '../../lib/errors';

/**
 * The AS core's errors, named and namespaced as in TTS so clients matching on `name` keep
 * working. They reach users as HTTP errors or in `down/failed` (`errorDetails`).
 */
const AS = 'pkg/applicationserver';
const NS = 'pkg/networkserver';

export const noPayload = defineError(
  AS,
  'no_payload',
  'invalid_argument',
  'downlink has neither `frm_payload` nor `decoded_payload`',
  { attributes: ['field'] },
);

export const encodedTooLong = defineError(
  AS,
  'encoded_payload_too_long',
  'invalid_argument',
  'the down formatter encoded {length} bytes; at most {max} fit a downlink',
  { attributes: ['field'] },
);

export const downlinkTooLong = defineError(
  NS,
  'application_downlink_too_long',
  'invalid_argument',
  'application downlink payload length `{length}` exceeds maximum `{max}` for data rate DR{data_rate_index}',
);

/** TTS declares it Aborted (gRPC 10). */
export const maxRetriesReached = defineError(
  AS,
  'max_retries_reached',
  'aborted',
  'maximum number of retries reached',
  { attributes: ['attempts'] },
);

export const invalidIdentifiers = defineError(
  'pkg/mote',
  'invalid_identifiers',
  'invalid_argument',
  'uplink without device or application ID',
);

/** `POST …/up/simulate` (simulate.ts): what its body lacks. */
export const noUplinkMessage = defineError(
  'pkg/mote',
  'invalid_field',
  'invalid_argument',
  'body needs `{field}`',
);
export const simulatedFPortMissing = defineError(
  'pkg/mote',
  'invalid_field',
  'invalid_argument',
  '`{field}` is needed with a payload',
);
export const simulatedFPortTooLarge = defineError(
  'pkg/mote',
  'invalid_field',
  'invalid_argument',
  '`{field}` must be at most 255',
);
