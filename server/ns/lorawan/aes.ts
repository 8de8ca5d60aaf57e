/**
 * AES-128 in ECB mode over whole 16-byte blocks: the only cipher LoRaWAN 1.0.x uses (LoRaWAN
 * 1.0.3 §4.3.3, §4.4, §6.2.5). Padding is never wanted — every caller builds whole blocks — so
 * OpenSSL's is turned off and a length that is not a multiple of 16 is a programming error.
 */
import { type Cipher, createCipheriv, createDecipheriv } from 'node:crypto';

export const AES_BLOCK = 16;
const KEY_BYTES = 16;

/**
 * Setting up a cipher (key schedule included) was most of an uplink's MIC and decryption, and the
 * same session keys come back frame after frame. ECB without padding keeps no state between
 * whole blocks, so one encrypting cipher per key serves every call (never `final`ed). Bounded:
 * the oldest key set up goes first. It holds keys the caller already holds in memory. The bound
 * holds two session keys (NwkSKey, AppSKey) of 8 192 devices, about 1.5 KB each (24 MB at most):
 * with fewer keys than the devices that take turns, first in first out misses on every frame.
 */
const ENCRYPTORS_MAX = 16_384;
const encryptors = new Map<string, Cipher>();

function encryptorFor(key: Uint8Array): Cipher {
  const id = Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('latin1');
  let cipher = encryptors.get(id);
  if (!cipher) {
    cipher = createCipheriv('aes-128-ecb', key, null).setAutoPadding(false);
    encryptors.set(id, cipher);
    if (encryptors.size > ENCRYPTORS_MAX) {
      const oldest = encryptors.keys().next().value;
      if (oldest !== undefined) encryptors.delete(oldest);
    }
  }
  return cipher;
}

function checkLengths(key: Uint8Array, data: Uint8Array): void {
  if (key.length !== KEY_BYTES) throw new RangeError(`AES-128 key must be 16 bytes, got ${key.length}`);
  if (data.length % AES_BLOCK !== 0)
    throw new RangeError(`AES-ECB input must be whole blocks, got ${data.length}`);
}

export function aesEncrypt(key: Uint8Array, data: Uint8Array): Buffer {
  checkLengths(key, data);
  return encryptorFor(key).update(data);
}

export function aesDecrypt(key: Uint8Array, data: Uint8Array): Buffer {
  checkLengths(key, data);
  const decipher = createDecipheriv('aes-128-ecb', key, null).setAutoPadding(false);
  return Buffer.concat([decipher.update(data), decipher.final()]);
}

/**
 * The key's cipher for a sequence of dependent blocks (CMAC's chain). Without padding ECB returns
 * each whole block from `update` at once.
 */
export function aesBlockEncryptor(key: Uint8Array): (block: Uint8Array) => Buffer {
  checkLengths(key, new Uint8Array(0));
  const cipher = encryptorFor(key);
  return (block) => {
    if (block.length !== AES_BLOCK) throw new RangeError(`AES block must be 16 bytes, got ${block.length}`);
    return cipher.update(block);
  };
}
