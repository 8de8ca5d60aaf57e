/**
 * LoRaWAN versions and key spellings as TTS names them, without zod: the API's schemas
 * (lib/schemas/lorawan.ts) and the console's device form read the same tables, so the form
 * checks what the API will check.
 */

/** Mote's network layer speaks LoRaWAN 1.0.x (server/ns/ports.ts `MacVersion`). */
export const MAC_VERSIONS = ['MAC_V1_0_2', 'MAC_V1_0_3', 'MAC_V1_0_4'] as const;
export type MacVersionName = (typeof MAC_VERSIONS)[number];

/** Regional parameters versions that go with MAC 1.0.2–1.0.4, with ttn-lw-cli's short forms. */
export const PHY_ALIASES: Record<string, string> = {
  PHY_V1_0_2_REV_A: 'PHY_V1_0_2_REV_A',
  RP001_V1_0_2: 'PHY_V1_0_2_REV_A',
  '1.0.2-A': 'PHY_V1_0_2_REV_A',
  PHY_V1_0_2_REV_B: 'PHY_V1_0_2_REV_B',
  RP001_V1_0_2_REV_B: 'PHY_V1_0_2_REV_B',
  '1.0.2-B': 'PHY_V1_0_2_REV_B',
  PHY_V1_0_3_REV_A: 'PHY_V1_0_3_REV_A',
  RP001_V1_0_3_REV_A: 'PHY_V1_0_3_REV_A',
  '1.0.3-A': 'PHY_V1_0_3_REV_A',
  RP002_V1_0_0: 'RP002_V1_0_0',
  'RP002-1.0.0': 'RP002_V1_0_0',
  RP002_V1_0_1: 'RP002_V1_0_1',
  'RP002-1.0.1': 'RP002_V1_0_1',
  RP002_V1_0_2: 'RP002_V1_0_2',
  'RP002-1.0.2': 'RP002_V1_0_2',
  RP002_V1_0_3: 'RP002_V1_0_3',
  'RP002-1.0.3': 'RP002_V1_0_3',
  RP002_V1_0_4: 'RP002_V1_0_4',
  'RP002-1.0.4': 'RP002_V1_0_4',
};
export const PHY_VERSIONS = [...new Set(Object.values(PHY_ALIASES))];

/**
 * The regional parameters each MAC version was published with (LoRaWAN 1.0.2 → RP 1.0.2 rev
 * A/B, 1.0.3 → RP 1.0.3 rev A, 1.0.4 → RP002), as TTS's console offers them; the first is the
 * default. The API takes any pairing.
 */
export const PHY_VERSIONS_FOR: Record<MacVersionName, readonly string[]> = {
  MAC_V1_0_2: ['PHY_V1_0_2_REV_B', 'PHY_V1_0_2_REV_A'],
  MAC_V1_0_3: ['PHY_V1_0_3_REV_A'],
  MAC_V1_0_4: ['RP002_V1_0_3', 'RP002_V1_0_4', 'RP002_V1_0_2', 'RP002_V1_0_1', 'RP002_V1_0_0'],
};

/** Bytes written as hex: separators (spaces, colons, dashes) dropped, upper case. */
export const normalizeHex = (s: string) => s.replace(/[\s:-]/g, '').toUpperCase();

export const isHexBytes = (s: string, bytes: number) =>
  new RegExp(`^[0-9A-F]{${bytes * 2}}$`).test(normalizeHex(s));
