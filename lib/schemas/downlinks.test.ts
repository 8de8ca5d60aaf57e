import { describe, expect, it } from 'vitest';
import { at } from '../../test/helpers/at';
import { parseWith } from '../validation';
import { downlinksRequest } from './downlinks';

const parse = (body: unknown) => parseWith(downlinksRequest, body);
const field = (body: unknown) => {
  try {
    parse(body);
  } catch (e) {
    return (e as { attributes: { field?: string } }).attributes.field;
  }
  return 'accepted';
};

describe('downlinksRequest', () => {
  it('takes the seed push body', () => {
    const r = parse({ downlinks: [{ f_port: 15, frm_payload: 'vu8=', priority: 'NORMAL' }] });
    expect(r.downlinks).toEqual([
      { f_port: 15, frm_payload: new Uint8Array([0xbe, 0xef]), priority: 'NORMAL' },
    ]);
  });

  it('takes lowerCamelCase and ignores fields clients may not set', () => {
    const r = parse({
      downlinks: [
        {
          fPort: 2,
          frmPayload: 'AQ==',
          confirmed: true,
          correlationIds: ['a'],
          confirmedRetry: { maxAttempts: 3 },
          fCnt: 9,
        },
      ],
    });
    expect(r.downlinks[0]).toEqual({
      f_port: 2,
      frm_payload: new Uint8Array([1]),
      confirmed: true,
      correlation_ids: ['a'],
      confirmed_retry: { max_attempts: 3 },
    });
  });

  it.each([{}, { downlinks: [] }])('%j is an empty request', (body) => {
    expect(parse(body).downlinks).toEqual([]);
  });

  it.each([
    ['f_port 0', { f_port: 0, frm_payload: 'AQ==' }, 'downlinks.0.f_port'],
    ['f_port 224', { f_port: 224, frm_payload: 'AQ==' }, 'downlinks.0.f_port'],
    ['f_port 256', { f_port: 256, frm_payload: 'AQ==' }, 'downlinks.0.f_port'],
    ['f_port missing', { frm_payload: 'AQ==' }, 'downlinks.0.f_port'],
    ['f_port as text', { f_port: 'one', frm_payload: 'AQ==' }, 'downlinks.0.f_port'],
    ['bad base64', { f_port: 1, frm_payload: 'vu8$' }, 'downlinks.0.frm_payload'],
    ['256-byte payload', { f_port: 1, frm_payload: btoa('x'.repeat(256)) }, 'downlinks.0.frm_payload'],
    ['243-byte payload', { f_port: 1, frm_payload: btoa('x'.repeat(243)) }, 'downlinks.0.frm_payload'],
    ['unknown priority', { f_port: 1, frm_payload: 'AQ==', priority: 'URGENT' }, 'downlinks.0.priority'],
    ['confirmed as text', { f_port: 1, frm_payload: 'AQ==', confirmed: 'yes' }, 'downlinks.0.confirmed'],
    [
      '101-char correlation ID',
      { f_port: 1, frm_payload: 'AQ==', correlation_ids: ['x'.repeat(101)] },
      'downlinks.0.correlation_ids.0',
    ],
    [
      '33 attempts',
      { f_port: 1, frm_payload: 'AQ==', confirmed_retry: { max_attempts: 33 } },
      'downlinks.0.confirmed_retry.max_attempts',
    ],
  ])('%s → names %s', (_, item, want) => {
    expect(field({ downlinks: [item] })).toBe(want);
  });

  it('names the item that is wrong, not the first', () => {
    expect(field({ downlinks: [{ f_port: 1, frm_payload: 'AQ==' }, { f_port: 0 }] })).toBe(
      'downlinks.1.f_port',
    );
  });

  it('rejects a body that is not an object, and downlinks that is not a list', () => {
    expect(() => parse([])).toThrow(/invalid request/);
    expect(field({ downlinks: {} })).toBe('downlinks');
  });

  it('takes 242 bytes', () => {
    expect(
      at(parse({ downlinks: [{ f_port: 1, frm_payload: btoa('x'.repeat(242)) }] }).downlinks, 0).frm_payload,
    ).toHaveLength(242);
  });
});
