import { MoteError } from '../../lib/errors';
import { MAX_FRM_PAYLOAD } from '../../lib/schemas/downlinks';

/**
 * The AS core's errors, named and namespaced as in TTS so clients matching on `name` keep
 * working. They reach users as HTTP errors or in `down/failed` (`errorDetails`).
 */
const AS = 'pkg/applicationserver';
const NS = 'pkg/networkserver';

export const noPayload = (index: number) =>
  new MoteError(
    'invalid_argument',
    'no_payload',
    'downlink has neither `frm_payload` nor `decoded_payload`',
    {
      field: `downlinks.${index}`,
    },
    AS,
  );

export const encodedTooLong = (index: number, length: number) =>
  new MoteError(
    'invalid_argument',
    'encoded_payload_too_long',
    `the down formatter encoded ${length} bytes; at most ${MAX_FRM_PAYLOAD} fit a downlink`,
    { field: `downlinks.${index}.decoded_payload`, length, max: MAX_FRM_PAYLOAD },
    AS,
  );

export const downlinkTooLong = (length: number, max: number, dataRateIndex: number) =>
  new MoteError(
    'invalid_argument',
    'application_downlink_too_long',
    `application downlink payload length \`${length}\` exceeds maximum \`${max}\` for data rate DR${dataRateIndex}`,
    { length, max, data_rate_index: dataRateIndex },
    NS,
  );

/** TTS declares this one Aborted (gRPC 10), a class with no HTTP use here: only `code` differs. */
class AbortedError extends MoteError {
  override get code(): number {
    return 10;
  }
}

export const maxRetriesReached = (attempts: number) =>
  new AbortedError(
    'failed_precondition',
    'max_retries_reached',
    'maximum number of retries reached',
    { attempts },
    AS,
  );
