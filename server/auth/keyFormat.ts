import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** RFC 4648 base32 without padding, upper case, as TTS writes key IDs and secrets. */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

/** docs/behaviour.md §2: `NNSXS.<ID>.<SECRET>`, ID 24 random bytes (39 chars), SECRET 32 bytes (52 chars). */
export const KEY_PATTERN = /^NNSXS\.([A-Z2-7]{39})\.([A-Z2-7]{52})$/;

export interface GeneratedKey {
  id: string;
  secret: string;
  key: string;
}

export function generateApiKey(): GeneratedKey {
  const id = base32(randomBytes(24));
  const secret = base32(randomBytes(32));
  return { id, secret, key: `NNSXS.${id}.${secret}` };
}

export function parseApiKey(key: string): { id: string; secret: string } | undefined {
  const [, id, secret] = KEY_PATTERN.exec(key) ?? [];
  return id === undefined || secret === undefined ? undefined : { id, secret };
}

/** The secret is 256-bit random, so one SHA-256 is as strong as any slow hash (docs/architecture.md §8). */
export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

export function secretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
