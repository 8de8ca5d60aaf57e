import { invalidNetId } from './errors';

/**
 * DevAddrs from a NetID's range (LoRaWAN Backend Interfaces TS002-1.1.0 §13 "DevAddr
 * Assignment"): DevAddr = Type prefix | NwkID | NwkAddr. The prefix of NetID type N is N ones and a
 * zero; NwkID is the NetID's least significant bits (type 0 and 1: 6 bits, so NetID 000013 gives
 * TTN's 26000000/7); NwkAddr is ours to choose. Same table as TTS `pkg/types/netid.go`.
 */
const NWK_ADDR_BITS = [25, 24, 20, 17, 15, 13, 10, 7] as const;

export interface DevAddrRange {
  /** The fixed bits (prefix and NwkID) in place, NwkAddr zero. */
  base: number;
  nwkAddrBits: number;
}

export function devAddrRange(netId: string): DevAddrRange {
  if (!/^[0-9A-Fa-f]{6}$/.test(netId)) throw invalidNetId({ net_id: netId });
  const value = Number.parseInt(netId, 16);
  const type = value >>> 21;
  const nwkAddrBits = NWK_ADDR_BITS[type] ?? 0;
  const prefixBits = type + 1;
  const nwkIdBits = 32 - prefixBits - nwkAddrBits;
  const nwkId = value & ((1 << nwkIdBits) - 1);
  // Type N's prefix is N ones followed by a zero, in the top N+1 bits.
  const prefix = ((0xff << (8 - type)) & 0xff) << 24;
  return { base: (prefix | (nwkId << nwkAddrBits)) >>> 0, nwkAddrBits };
}

/** A DevAddr in the NetID's range, NwkAddr taken from `random` (4 bytes, or more). */
export function devAddrFor(netId: string, random: Uint8Array): string {
  const { base, nwkAddrBits } = devAddrRange(netId);
  const r = Buffer.from(random).readUInt32BE(0);
  const nwkAddr = nwkAddrBits === 32 ? r : r & ((2 ** nwkAddrBits - 1) >>> 0);
  return ((base | nwkAddr) >>> 0).toString(16).toUpperCase().padStart(8, '0');
}
