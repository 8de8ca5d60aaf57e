import { describe, expect, it } from 'vitest';
import { devAddrFor, devAddrRange } from './netId';

describe('DevAddr from NetID (Backend Interfaces §13)', () => {
  it('type 0: NwkID is the 6 LSBs of the NetID, below a 0 prefix', () => {
    expect(devAddrRange('000000')).toEqual({ base: 0, nwkAddrBits: 25 });
    // TTN's NetID 000013: 26000000/7.
    expect(devAddrRange('000013').base).toBe(0x26000000);
    expect(devAddrFor('000013', Buffer.from('FFFFFFFF', 'hex'))).toBe('27FFFFFF');
    expect(devAddrFor('000000', Buffer.from('FFFFFFFF', 'hex'))).toBe('01FFFFFF');
  });

  it('type 3 (prefix 1110, 11-bit NwkID) and type 7', () => {
    // NetID 600001: type 3, NwkID 1 → E0 | 1 << 17.
    expect(devAddrRange('600001')).toEqual({ base: (0xe0000000 | (1 << 17)) >>> 0, nwkAddrBits: 17 });
    expect(devAddrRange('E00001')).toEqual({ base: (0xfe000000 | (1 << 7)) >>> 0, nwkAddrBits: 7 });
  });

  it('refuses a malformed NetID', () => {
    expect(() => devAddrRange('12345')).toThrow(/NetID/);
  });
});
