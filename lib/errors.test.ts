import { describe, expect, it } from 'vitest';
import { asMoteError, defineError, errorDetails, httpStatus, isMoteError } from './errors';

describe('defineError', () => {
  const tooLong = defineError(
    'pkg/networkserver',
    'application_downlink_too_long',
    'invalid_argument',
    'application downlink payload length `{length}` exceeds maximum `{max}` for data rate DR{data_rate_index}',
  );

  it('renders the message from the attributes and publishes them', () => {
    const e = tooLong({ length: 60, max: 51, data_rate_index: 0 });
    expect(isMoteError(e)).toBe(true);
    expect(e).toBeInstanceOf(Error);
    expect(e.message).toBe('application downlink payload length `60` exceeds maximum `51` for data rate DR0');
    expect(errorDetails(e, 'as:up:1')).toEqual({
      namespace: 'pkg/networkserver',
      name: 'application_downlink_too_long',
      message_format: e.message,
      attributes: { length: 60, max: 51, data_rate_index: 0 },
      correlation_id: 'as:up:1',
      code: 3,
    });
    expect(httpStatus[e.errorClass]).toBe(400);
  });

  it('keeps message-only arguments out of the attributes, and the rest in the given order', () => {
    const invalid = defineError(
      'pkg/mote',
      'invalid_field',
      'invalid_argument',
      'invalid `{field}`: {reason}',
      {
        messageOnly: ['reason'],
      },
    );
    const e = invalid({ reason: 'expected {x}', field: 'a.b' });
    expect(e.message).toBe('invalid `a.b`: expected {x}');
    expect(e.attributes).toEqual({ field: 'a.b' });
  });

  it('lists arrays, keeps declared attributes that are undefined, and takes no arguments when it has none', () => {
    const rights = defineError('pkg/mote', 'insufficient_rights', 'permission_denied', 'need {missing}', {
      attributes: ['origin'],
    });
    const e = rights({ missing: ['A', 'B'], origin: undefined });
    expect(e.message).toBe('need A, B');
    expect(Object.keys(e.attributes)).toEqual(['missing', 'origin']);
    const plain = defineError('pkg/mote', 'wrong', 'unauthenticated', 'wrong password');
    expect(plain().attributes).toEqual({});
    expect(errorDetails(plain()).attributes).toBeUndefined();
  });

  it('knows its errors by namespace and name, not by message or definition', () => {
    const a = defineError('pkg/mote', 'x_not_found', 'not_found', 'x `{id}` not found');
    const b = defineError('pkg/mote', 'x_not_found', 'not_found', 'no such x');
    const other = defineError('pkg/other', 'x_not_found', 'not_found', 'x `{id}` not found');
    expect(a.name).toBe('x_not_found');
    expect(a.is(b())).toBe(true);
    expect(a.is(other({ id: '1' }))).toBe(false);
    expect(a.is(new Error('x `1` not found'))).toBe(false);
  });

  it('gives TTS Aborted its own gRPC code', () => {
    const e = defineError(
      'pkg/applicationserver',
      'max_retries_reached',
      'aborted',
      'maximum number of retries reached',
    )();
    expect(e.code).toBe(10);
    expect(httpStatus[e.errorClass]).toBe(409);
  });

  it('hides anything else as internal', () => {
    const e = asMoteError(new Error('secret'));
    expect([e.name, e.message, e.code]).toEqual(['internal', 'internal error', 13]);
  });
});
