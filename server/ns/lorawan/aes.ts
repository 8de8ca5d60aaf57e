/**
 * AES-128 in ECB mode over whole 16-byte blocks: the only cipher LoRaWAN 1.0.x uses (LoRaWAN
 * 1.0.3 §4.3.3, §4.4, §6.2.5). Padding is never wanted — every caller builds whole blocks — so
 * OpenSSL's is turned off and a length that is not a multiple of 16 is a programming error.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';

export const AES_BLOCK = 16;
const KEY_BYTES = 16;

function checkLengths(key: Uint8Array, data: Uint8Array): void {
  if (key.length !== KEY_BYTES) throw new RangeError(`AES-128 key must be 16 bytes, got ${key.length}`);
  if (data.length % AES_BLOCK !== 0)
    throw new RangeError(`AES-ECB input must be whole blocks, got ${data.length}`);
}

export function aesEncrypt(key: Uint8Array, data: Uint8Array): Buffer {
  checkLengths(key, data);
  const cipher = createCipheriv('aes-128-ecb', key, null).setAutoPadding(false);
  return Buffer.concat([cipher.update(data), cipher.final()]);
}

export function aesDecrypt(key: Uint8Array, data: Uint8Array): Buffer {
  checkLengths(key, data);
  const decipher = createDecipheriv('aes-128-ecb', key, null).setAutoPadding(false);
  return Buffer.concat([decipher.update(data), decipher.final()]);
}

/**
 * One cipher for a sequence of dependent blocks (CMAC's chain), so the key schedule is set up
 * once per message rather than once per block. Without padding ECB returns each whole block
 * from `update` at once.
 */
export function aesBlockEncryptor(key: Uint8Array): (block: Uint8Array) => Buffer {
  checkLengths(key, new Uint8Array(0));
  const cipher = createCipheriv('aes-128-ecb', key, null).setAutoPadding(false);
  return (block) => {
    if (block.length !== AES_BLOCK) throw new RangeError(`AES block must be 16 bytes, got ${block.length}`);
    return cipher.update(block);
  };
}
