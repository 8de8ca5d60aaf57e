import type { CFList } from '../../lib/bands';

/**
 * The JoinAccept's CFList as RP002-1.0.4 lays it out ("EU863-870 JoinAccept CFList", "US902-928
 * JoinAccept CFList"): 15 bytes of content and CFListType in the last byte.
 */
export function encodeCfList(cfList: CFList): Uint8Array {
  const out = Buffer.alloc(16);
  if (cfList.type === 'frequencies') {
    // Five frequencies, each 24 bits little-endian in units of 100 Hz; CFListType 0.
    cfList.frequencies.slice(0, 5).forEach((f, i) => {
      out.writeUIntLE(Math.round(f / 100), i * 3, 3);
    });
    out[15] = 0;
    return out;
  }
  // ChMask0..ChMask4, 16 bits each little-endian, bit n of the mask block = channel n; CFListType 1.
  for (const channel of cfList.enabledChannels) {
    const byte = channel >> 3;
    if (byte < 10) out[byte] = (out[byte] ?? 0) | (1 << (channel & 7));
  }
  out[15] = 1;
  return out;
}
