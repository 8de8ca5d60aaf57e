import { describe, expect, it } from 'vitest';
import {
  cryptFrmPayload,
  dataMic,
  decryptJoinAccept,
  encryptJoinAccept,
  joinAcceptMic,
  micMatches,
} from './crypto';

const hex = (s: string) => Buffer.from(s, 'hex');
const upper = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();
const APP_KEY = '00112233445566778899AABBCCDDEEFF';
const NWK_S_KEY = 'BCD4253A0FDA89D9F1A805230B6F9C17';

describe('LoRaWAN 1.0.x crypto', () => {
  it('lorawan-radio.md: JoinAccept MIC over the plaintext, and its encryption by AES decrypt', () => {
    const msg = hex('2056341213000034120B260001');
    const mic = joinAcceptMic(APP_KEY, msg);
    expect(upper(mic)).toBe('FA697935');
    const encrypted = encryptJoinAccept(APP_KEY, Buffer.concat([msg.subarray(1), mic]));
    expect(upper(encrypted)).toBe('FA32342168E9F0DD4A8754A05C9FB69B');
    expect(upper(decryptJoinAccept(APP_KEY, encrypted))).toBe('56341213000034120B260001FA697935');
  });

  it('lorawan-radio.md: the data MIC takes all 32 bits of FCnt in B0', () => {
    const msg = hex('4034120B260001000586B83D220A');
    expect(upper(dataMic(NWK_S_KEY, 'up', '260B1234', 0x10001, msg))).toBe('F83B3346');
    expect(upper(dataMic(NWK_S_KEY, 'up', '260B1234', 0x00001, msg))).not.toBe('F83B3346');
  });

  it.each([0, 1, 15, 16, 17, 32, 222])('FRMPayload encryption of %i bytes is its own inverse', (length) => {
    const plain = Buffer.alloc(length, 0xa5);
    const cipher = cryptFrmPayload(NWK_S_KEY, 'down', '260B1234', 0x12345678, plain);
    expect(cipher).toHaveLength(length);
    if (length > 0) expect(cipher.equals(plain)).toBe(false);
    expect(cryptFrmPayload(NWK_S_KEY, 'down', '260B1234', 0x12345678, cipher)).toEqual(plain);
  });

  it('the keystream depends on direction, DevAddr and FCnt', () => {
    const plain = Buffer.alloc(16);
    const base = cryptFrmPayload(NWK_S_KEY, 'up', '260B1234', 1, plain);
    expect(cryptFrmPayload(NWK_S_KEY, 'down', '260B1234', 1, plain).equals(base)).toBe(false);
    expect(cryptFrmPayload(NWK_S_KEY, 'up', '260B1235', 1, plain).equals(base)).toBe(false);
    expect(cryptFrmPayload(NWK_S_KEY, 'up', '260B1234', 0x10001, plain).equals(base)).toBe(false);
  });

  it.each([
    ['a key of 15 bytes', () => dataMic('00'.repeat(15), 'up', '260B1234', 0, Buffer.alloc(12))],
    ['a key that is not hex', () => dataMic('ZZ'.repeat(16), 'up', '260B1234', 0, Buffer.alloc(12))],
    ['a DevAddr of 3 bytes', () => dataMic(NWK_S_KEY, 'up', '260B12', 0, Buffer.alloc(12))],
    ['an FCnt past 32 bits', () => dataMic(NWK_S_KEY, 'up', '260B1234', 2 ** 32, Buffer.alloc(12))],
  ])('refuses %s', (_name, call) => {
    expect(call).toThrow(RangeError);
  });

  it('compares MICs only of equal length', () => {
    expect(micMatches(hex('01020304'), hex('01020304'))).toBe(true);
    expect(micMatches(hex('01020304'), hex('01020305'))).toBe(false);
    expect(micMatches(hex('01020304'), hex('010203'))).toBe(false);
  });
});
