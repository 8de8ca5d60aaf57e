/**
 * AES-CMAC (RFC 4493), the MAC behind every LoRaWAN 1.0.x MIC (LoRaWAN 1.0.3 §4.4, §6.2.4,
 * §6.2.5), which keeps only its first four bytes.
 */
import { AES_BLOCK, aesBlockEncryptor } from './aes';

/** RFC 4493 §2.3: the constant Rb for a 128-bit block. */
const RB = 0x87;

/** RFC 4493 §2.3: a one-bit left shift of the block, with Rb folded in when the top bit falls off. */
function double(block: Uint8Array): Buffer {
  const out = Buffer.alloc(AES_BLOCK);
  for (let i = 0; i < AES_BLOCK; i++) out[i] = ((block[i]! << 1) | ((block[i + 1] ?? 0) >>> 7)) & 0xff;
  if ((block[0]! & 0x80) !== 0) out[AES_BLOCK - 1]! ^= RB;
  return out;
}

function xorInto(target: Buffer, source: Uint8Array, offset: number, length: number): void {
  for (let i = 0; i < length; i++) target[i]! ^= source[offset + i]!;
}

export function aesCmac(key: Uint8Array, message: Uint8Array): Buffer {
  const encrypt = aesBlockEncryptor(key);
  const k1 = double(encrypt(Buffer.alloc(AES_BLOCK)));
  const blocks = Math.max(1, Math.ceil(message.length / AES_BLOCK));
  const lastOffset = (blocks - 1) * AES_BLOCK;
  const lastLength = message.length - lastOffset;
  // RFC 4493 §2.4 step 4: a complete last block is masked with K1; a partial (or empty) one is
  // padded with 10…0 and masked with K2.
  const last = lastLength === AES_BLOCK ? k1 : double(k1);
  xorInto(last, message, lastOffset, lastLength);
  if (lastLength < AES_BLOCK) last[lastLength]! ^= 0x80;

  let x: Buffer = Buffer.alloc(AES_BLOCK);
  for (let offset = 0; offset < lastOffset; offset += AES_BLOCK) {
    xorInto(x, message, offset, AES_BLOCK);
    x = encrypt(x);
  }
  xorInto(x, last, 0, AES_BLOCK);
  return encrypt(x);
}
