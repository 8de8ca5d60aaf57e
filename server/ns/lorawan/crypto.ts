/**
 * LoRaWAN 1.0.x cryptography: MICs, FRMPayload encryption, JoinAccept encryption and session
 * key derivation. Keys and identifiers are upper-case hex (bytes.ts); messages are bytes.
 */
import { timingSafeEqual } from 'node:crypto';
import { AES_BLOCK, aesDecrypt, aesEncrypt } from './aes';
import { checkUint, identifierToWire, keyToBytes } from './bytes';
import { aesCmac } from './cmac';
import { type Direction, MIC_BYTES } from './mhdr';

/**
 * B0 (§4.4) and Ai (§4.3.3) share one layout:
 * first | 0x00 ×4 | Dir | DevAddr | FCnt (32 bits) | 0x00 | last.
 */
function frameBlock(first: number, dir: Direction, devAddr: string, fCnt: number, last: number): Buffer {
  const block = Buffer.alloc(AES_BLOCK);
  block[0] = first;
  block[5] = dir === 'up' ? 0 : 1;
  identifierToWire(devAddr, 4, 'DevAddr').copy(block, 6);
  block.writeUInt32LE(checkUint(fCnt, 32, 'FCnt'), 10);
  block[15] = last;
  return block;
}

/** §4.4: cmac = aes128_cmac(NwkSKey, B0 | msg), MIC = cmac[0..3], msg = MHDR | FHDR | FPort | FRMPayload. */
export function dataMic(
  nwkSKey: string,
  dir: Direction,
  devAddr: string,
  fCnt: number,
  msg: Uint8Array,
): Buffer {
  const b0 = frameBlock(0x49, dir, devAddr, fCnt, checkUint(msg.length, 8, 'message length'));
  return aesCmac(keyToBytes(nwkSKey, 'NwkSKey'), Buffer.concat([b0, msg])).subarray(0, MIC_BYTES);
}

/**
 * §4.3.3: FRMPayload XOR S, S = aes128_encrypt(K, A1 | A2 | …), K being AppSKey for FPort 1..255
 * and NwkSKey for FPort 0. XOR is its own inverse, so this both encrypts and decrypts.
 */
export function cryptFrmPayload(
  key: string,
  dir: Direction,
  devAddr: string,
  fCnt: number,
  payload: Uint8Array,
): Buffer {
  const blocks = Math.ceil(payload.length / AES_BLOCK);
  const a = Buffer.alloc(blocks * AES_BLOCK);
  for (let i = 0; i < blocks; i++) frameBlock(0x01, dir, devAddr, fCnt, i + 1).copy(a, i * AES_BLOCK);
  const s = blocks === 0 ? a : aesEncrypt(keyToBytes(key), a);
  const out = Buffer.alloc(payload.length);
  for (let i = 0; i < payload.length; i++) out[i] = payload[i]! ^ s[i]!;
  return out;
}

/** §6.2.4: aes128_cmac(AppKey, MHDR | AppEUI | DevEUI | DevNonce)[0..3]. */
export const joinRequestMic = (appKey: string, msg: Uint8Array): Buffer =>
  aesCmac(keyToBytes(appKey, 'AppKey'), msg).subarray(0, MIC_BYTES);

/** §6.2.5: aes128_cmac(AppKey, MHDR | AppNonce | NetID | DevAddr | DLSettings | RxDelay | CFList)[0..3]. */
export const joinAcceptMic = (appKey: string, msg: Uint8Array): Buffer =>
  aesCmac(keyToBytes(appKey, 'AppKey'), msg).subarray(0, MIC_BYTES);

/**
 * §6.2.5: the network encrypts with aes128_decrypt(AppKey, …) so that a device only needs AES
 * encryption to read it. `plain` is everything after MHDR, MIC included (16 or 32 bytes).
 */
export const encryptJoinAccept = (appKey: string, plain: Uint8Array): Buffer =>
  aesDecrypt(keyToBytes(appKey, 'AppKey'), plain);

export const decryptJoinAccept = (appKey: string, encrypted: Uint8Array): Buffer =>
  aesEncrypt(keyToBytes(appKey, 'AppKey'), encrypted);

export interface SessionKeys {
  nwkSKey: string;
  appSKey: string;
}

export interface KeyDerivationInput {
  appKey: string;
  /** AppNonce (1.0.4: JoinNonce), 24 bits, from the JoinAccept. */
  appNonce: number;
  netId: string;
  devNonce: number;
}

/** §6.2.5: aes128_encrypt(AppKey, 0x01 or 0x02 | AppNonce | NetID | DevNonce | pad16), fields as on air. */
export function deriveSessionKeys(input: KeyDerivationInput): SessionKeys {
  const block = Buffer.alloc(AES_BLOCK);
  block.writeUIntLE(checkUint(input.appNonce, 24, 'AppNonce'), 1, 3);
  identifierToWire(input.netId, 3, 'NetID').copy(block, 4);
  block.writeUInt16LE(checkUint(input.devNonce, 16, 'DevNonce'), 7);
  const derive = (kind: number) => {
    block[0] = kind;
    return aesEncrypt(keyToBytes(input.appKey, 'AppKey'), block).toString('hex').toUpperCase();
  };
  return { nwkSKey: derive(0x01), appSKey: derive(0x02) };
}

/** Compared in constant time, so a forger cannot learn the MIC a byte at a time. */
export const micMatches = (expected: Uint8Array, received: Uint8Array): boolean =>
  expected.length === received.length && timingSafeEqual(expected, received);
