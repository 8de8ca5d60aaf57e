import { isObject } from './event';

/**
 * A `down/failed` error (TTS `ErrorDetails`) in words, for the names a user meets: the API's
 * message names fields and formats for programs ("application downlink payload length `60`
 * exceeds maximum `51` for data rate DR0"); the console says what happened.
 */
export function reasonInWords(error: unknown): string {
  if (!isObject(error)) return 'failed, without a reason given';
  const a = isObject(error.attributes) ? error.attributes : {};
  switch (error.name) {
    case 'application_downlink_too_long':
      return `the payload is ${a.length} bytes, but at most ${a.max} fit at data rate DR${a.data_rate_index}`;
    case 'max_retries_reached':
      return 'the device did not acknowledge it, and no retries are left';
    case 'encoded_payload_too_long':
      return `the down formatter made ${a.length} bytes, more than the ${a.max} a downlink can carry`;
    default:
      return String(error.message_format ?? error.message ?? error.name ?? 'failed');
  }
}

/**
 * A failed row's reason as the table shows it: the error's stable name, then what happened
 * (`application_downlink_too_long: the payload is 60 bytes, …`), so the name can be searched for.
 */
export function failureInWords(error: unknown): string {
  const words = reasonInWords(error);
  const name = isObject(error) && typeof error.name === 'string' ? error.name : '';
  return name && words !== name ? `${name}: ${words}` : words;
}
