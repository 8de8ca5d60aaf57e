import { describe, expect, it } from 'vitest';
import { checkFCnt, MAX_FCNT_GAP } from './fcnt';

describe('checkFCnt (LoRaWAN 1.0.3 §4.3.1.5)', () => {
  it.each([
    {
      name: 'first frame of a session',
      fCnt16: 0,
      last: undefined,
      expected: { kind: 'new', fCnt: 0, lost: 0 },
    },
    {
      name: 'first frame, some lost',
      fCnt16: 5,
      last: undefined,
      expected: { kind: 'new', fCnt: 5, lost: 5 },
    },
    {
      name: 'first frame too far',
      fCnt16: MAX_FCNT_GAP,
      last: undefined,
      expected: { kind: 'gap_too_large' },
    },
    { name: 'next', fCnt16: 11, last: 10, expected: { kind: 'new', fCnt: 11, lost: 0 } },
    {
      name: 'gap just inside',
      fCnt16: 10 + MAX_FCNT_GAP - 1,
      last: 10,
      expected: { kind: 'new', fCnt: 16393, lost: 16382 },
    },
    { name: 'gap of MAX_FCNT_GAP', fCnt16: 10 + MAX_FCNT_GAP, last: 10, expected: { kind: 'gap_too_large' } },
    { name: 'far ahead', fCnt16: 0x8000, last: 0, expected: { kind: 'gap_too_large' } },
    { name: 'duplicate', fCnt16: 10, last: 10, expected: { kind: 'duplicate', fCnt: 10 } },
    { name: 'one behind', fCnt16: 9, last: 10, expected: { kind: 'replay' } },
    { name: 'half the circle behind', fCnt16: 0x8000 + 11, last: 10, expected: { kind: 'replay' } },
    {
      name: 'rollover past 0xFFFF',
      fCnt16: 0,
      last: 0xffff,
      expected: { kind: 'new', fCnt: 0x1_0000, lost: 0 },
    },
    {
      name: 'rollover with a gap',
      fCnt16: 3,
      last: 0xfffe,
      expected: { kind: 'new', fCnt: 0x1_0003, lost: 4 },
    },
    {
      name: 'high bits kept',
      fCnt16: 0x0002,
      last: 0x2_0001,
      expected: { kind: 'new', fCnt: 0x2_0002, lost: 0 },
    },
    {
      name: 'duplicate above 16 bits',
      fCnt16: 0x0001,
      last: 0x2_0001,
      expected: { kind: 'duplicate', fCnt: 0x2_0001 },
    },
    { name: 'replay across a rollover', fCnt16: 0xffff, last: 0x1_0000, expected: { kind: 'replay' } },
    { name: '32-bit counter used up', fCnt16: 0, last: 0xffff_ffff, expected: { kind: 'exhausted' } },
    {
      name: 'last 32-bit value',
      fCnt16: 0xffff,
      last: 0xffff_fffe,
      expected: { kind: 'new', fCnt: 0xffff_ffff, lost: 0 },
    },
  ])('$name: $fCnt16 after $last', ({ fCnt16, last, expected }) => {
    expect(checkFCnt(fCnt16, last)).toEqual(expected);
  });

  it('a larger maxGap accepts a jump the default refuses', () => {
    expect(checkFCnt(40_000, 0)).toEqual({ kind: 'replay' });
    expect(checkFCnt(40_000, 0, 0x1_0000)).toEqual({ kind: 'new', fCnt: 40_000, lost: 39_999 });
  });
});
