/**
 * Identifiers (EUIs, DevAddr, NetID) and keys are upper-case hex strings in this folder's API,
 * as Mote stores and publishes them. On air every multi-byte field is little-endian, EUIs
 * included (LoRaWAN 1.0.3 §1.2), so identifiers are reversed at the wire; a key is a byte string
 * fed to AES as written and is never reversed.
 */

const HEX = /^[0-9A-Fa-f]*$/;

function bytesOfHex(hex: string, bytes: number, what: string): Buffer {
  if (hex.length !== bytes * 2 || !HEX.test(hex)) {
    throw new RangeError(`${what} must be ${bytes} bytes of hex, got ${JSON.stringify(hex)}`);
  }
  return Buffer.from(hex, 'hex');
}

/** The wire bytes of an identifier given most significant byte first. */
export const identifierToWire = (hex: string, bytes: number, what = 'identifier'): Buffer =>
  bytesOfHex(hex, bytes, what).reverse();

/** The identifier in `bytes` wire bytes of `buf` from `offset`, most significant byte first. */
export const identifierFromWire = (buf: Uint8Array, offset: number, bytes: number): string =>
  Buffer.from(buf.subarray(offset, offset + bytes))
    .reverse()
    .toString('hex')
    .toUpperCase();

export const keyToBytes = (hex: string, what = 'key'): Buffer => bytesOfHex(hex, 16, what);

/** Throws unless `n` is an integer that fits in `bits` unsigned bits. */
export function checkUint(n: number, bits: number, what: string): number {
  if (!Number.isInteger(n) || n < 0 || n >= 2 ** bits) {
    throw new RangeError(`${what} must be an unsigned ${bits}-bit integer, got ${n}`);
  }
  return n;
}

/** A copy, so a decoded frame never aliases a buffer its caller may reuse. */
export const copyOf = (buf: Uint8Array, start: number, end = buf.length): Buffer =>
  Buffer.from(buf.subarray(start, end));
