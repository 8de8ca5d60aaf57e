import { describe, expect, it } from 'vitest';
import { aesCmac } from './cmac';

const hex = (s: string) => Buffer.from(s.replace(/\s/g, ''), 'hex');

const KEY = hex('2b7e1516 28aed2a6 abf71588 09cf4f3c');
const M = hex(
  '6bc1bee2 2e409f96 e93d7e11 7393172a ae2d8a57 1e03ac9c 9eb76fac 45af8e51' +
    '30c81c46 a35ce411 e5fbc119 1a0a52ef f69f2445 df4f9b17 ad2b417b e66c3710',
);

// RFC 4493 §4, examples 1–4: empty, one whole block, a partial last block, four whole blocks.
const EXAMPLES = [
  { length: 0, mac: 'bb1d6929 e9593728 7fa37d12 9b756746' },
  { length: 16, mac: '070a16b4 6b4d4144 f79bdd9d d04a287c' },
  { length: 40, mac: 'dfa66747 de9ae630 30ca3261 1497c827' },
  { length: 64, mac: '51f0bebf 7e3b9d92 fc497417 79363cfe' },
];

describe('AES-CMAC (RFC 4493)', () => {
  it.each(EXAMPLES)('example with a $length-byte message', ({ length, mac }) => {
    expect(aesCmac(KEY, M.subarray(0, length)).toString('hex')).toBe(mac.replace(/\s/g, ''));
  });

  it('does not change its input', () => {
    const message = Buffer.from(M.subarray(0, 40));
    aesCmac(KEY, message);
    expect(message).toEqual(M.subarray(0, 40));
  });
});
