/**
 * Device keys at rest (issue 12, "Devices with keys"): every AppKey, NwkSKey and AppSKey is
 * sealed with AES-256-GCM under the key-encryption key (KEK) before it reaches the database, so
 * the SQLite file, its WAL and backups never hold a key in the clear. The associated data binds
 * each ciphertext to its device and field: a sealed key copied to another row does not open.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { kekMismatch } from './errors';

const VERSION = 'g1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface KeyVault {
  /** Seals an upper-case hex key; `context` names where it is stored (device and field). */
  seal(hex: string, context: string): string;
  /** Opens what `seal` made; a wrong KEK or a moved ciphertext fails with `kek_mismatch`. */
  open(sealed: string, context: string): string;
}

export function keyVault(kek: Buffer): KeyVault {
  if (kek.length !== 32) throw new Error('the key-encryption key must be 32 bytes');
  return {
    seal(hex, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', kek, iv);
      cipher.setAAD(Buffer.from(context));
      const ct = Buffer.concat([cipher.update(Buffer.from(hex, 'hex')), cipher.final()]);
      return `${VERSION}:${Buffer.concat([iv, ct, cipher.getAuthTag()]).toString('base64')}`;
    },
    open(sealed, context) {
      const [version, body] = sealed.split(':');
      const raw = Buffer.from(body ?? '', 'base64');
      if (version !== VERSION || raw.length < IV_BYTES + TAG_BYTES) throw kekMismatch({ context });
      const decipher = createDecipheriv('aes-256-gcm', kek, raw.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      try {
        const pt = Buffer.concat([
          decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)),
          decipher.final(),
        ]);
        return pt.toString('hex').toUpperCase();
      } catch {
        // GCM authentication failed: another KEK sealed it, or it was altered. Never guess.
        throw kekMismatch({ context });
      }
    },
  };
}

/** The sealed value kept in the database to tell, at start, whether the KEK is the one in use. */
export const KEK_CHECK_CONTEXT = 'mote/kek-check';
export const KEK_CHECK_PLAIN = '00000000000000000000000000000000';
