import { describe, expect, it } from 'vitest';
import { aesBlockEncryptor, aesDecrypt, aesEncrypt } from './aes';

const hex = (s: string) => Buffer.from(s.replace(/\s/g, ''), 'hex');

// FIPS-197 Appendix C.1, and RFC 4493 §4's L = AES-128(K, 0^128).
const VECTORS = [
  {
    name: 'FIPS-197 C.1',
    key: '000102030405060708090a0b0c0d0e0f',
    plain: '00112233445566778899aabbccddeeff',
    cipher: '69c4e0d86a7b0430d8cdb78070b4c55a',
  },
  {
    name: 'RFC 4493 subkey L',
    key: '2b7e151628aed2a6abf7158809cf4f3c',
    plain: '00000000000000000000000000000000',
    cipher: '7df76b0c1ab899b33e42f047b91b546f',
  },
];

describe('AES-128 ECB', () => {
  it.each(VECTORS)('$name: encrypts and decrypts', ({ key, plain, cipher }) => {
    expect(aesEncrypt(hex(key), hex(plain)).toString('hex')).toBe(cipher);
    expect(aesDecrypt(hex(key), hex(cipher)).toString('hex')).toBe(plain);
  });

  it('encrypts several blocks independently (ECB)', () => {
    const [v] = VECTORS;
    const twice = aesEncrypt(hex(v!.key), hex(v!.plain + v!.plain)).toString('hex');
    expect(twice).toBe(v!.cipher + v!.cipher);
  });

  it('the block encryptor gives the same block each call', () => {
    const [v] = VECTORS;
    const encrypt = aesBlockEncryptor(hex(v!.key));
    expect(encrypt(hex(v!.plain)).toString('hex')).toBe(v!.cipher);
    expect(encrypt(hex(v!.plain)).toString('hex')).toBe(v!.cipher);
  });

  it('keeps giving the same blocks once its cipher for the key is reused, across many keys', () => {
    const [v] = VECTORS;
    for (let i = 0; i < 5_000; i++) aesEncrypt(Buffer.alloc(16, i & 0xff).fill(i >> 8, 0, 1), hex(v!.plain));
    for (let i = 0; i < 3; i++) {
      expect(aesEncrypt(hex(v!.key), hex(v!.plain)).toString('hex')).toBe(v!.cipher);
      expect(aesBlockEncryptor(hex(v!.key))(hex(v!.plain)).toString('hex')).toBe(v!.cipher);
      expect(aesDecrypt(hex(v!.key), hex(v!.cipher)).toString('hex')).toBe(v!.plain);
    }
  });

  it.each([
    ['a short key', Buffer.alloc(15), Buffer.alloc(16)],
    ['a partial block', Buffer.alloc(16), Buffer.alloc(17)],
  ])('refuses %s', (_name, key, data) => {
    expect(() => aesEncrypt(key, data)).toThrow(RangeError);
    expect(() => aesDecrypt(key, data)).toThrow(RangeError);
  });
});
