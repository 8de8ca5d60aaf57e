import { describe, expect, it } from 'vitest';
import { base32, generateApiKey, hashSecret, KEY_PATTERN, parseApiKey, secretMatches } from './keyFormat';

describe('API key format', () => {
  it('encodes RFC 4648 base32 without padding', () => {
    expect(base32(new TextEncoder().encode('foobar'))).toBe('MZXW6YTBOI');
    expect(base32(new Uint8Array([0xff]))).toBe('74');
  });

  it('makes NNSXS.<39>.<52> keys with fresh randomness', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a.key).toMatch(KEY_PATTERN);
    expect(a.id).toHaveLength(39);
    expect(a.secret).toHaveLength(52);
    expect(a.key).not.toBe(b.key);
    expect(parseApiKey(a.key)).toEqual({ id: a.id, secret: a.secret });
  });

  it.each([
    '',
    'NNSXS.ABC.DEF',
    'nnsxs.x.y',
    `NNSXS.${'A'.repeat(39)}.${'A'.repeat(51)}`,
    `NNSXS.${'1'.repeat(39)}.${'A'.repeat(52)}`,
  ])('rejects malformed key %j', (key) => {
    expect(parseApiKey(key)).toBeUndefined();
  });

  it('matches only the right secret', () => {
    const { secret } = generateApiKey();
    const stored = hashSecret(secret);
    expect(stored).not.toContain(secret);
    expect(secretMatches(secret, stored)).toBe(true);
    expect(secretMatches(generateApiKey().secret, stored)).toBe(false);
  });
});
