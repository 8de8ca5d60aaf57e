/**
 * The LoRaWAN fields of an end device (issue 12), as TTS's API and ttn-lw-cli spell them.
 * Versions are stored as TTS's enum names; the CLI's short forms (`1.0.3`, `1.0.3-a`) are
 * accepted and turned into those names.
 */
import { z } from 'zod';
import { FREQUENCY_PLANS, isFrequencyPlanId } from '../bands';
import { MAC_VERSIONS, normalizeHex, PHY_ALIASES, PHY_VERSIONS } from '../lorawan/versions';

export { MAC_VERSIONS, PHY_VERSIONS };

export const macVersionSchema = z
  .string()
  .transform((s) => {
    const t = s.trim().toUpperCase();
    // `1.0.3`, `V1_0_3` and `MAC_V1_0_3` all name the same version.
    return /^\d+\.\d+\.\d+$/.test(t) ? `MAC_V${t.replaceAll('.', '_')}` : t.startsWith('V') ? `MAC_${t}` : t;
  })
  .pipe(
    z.enum(MAC_VERSIONS, { error: `must be one of ${MAC_VERSIONS.join(', ')} (or 1.0.2, 1.0.3, 1.0.4)` }),
  );

export const phyVersionSchema = z
  .string()
  .transform((s) => PHY_ALIASES[s.trim().toUpperCase()] ?? s)
  .pipe(
    z.enum(PHY_VERSIONS as [string, ...string[]], {
      error: `must be one of ${PHY_VERSIONS.join(', ')} (or 1.0.3-a style)`,
    }),
  );

export const frequencyPlanSchema = z
  .string()
  .refine(isFrequencyPlanId, `unknown frequency plan; one of ${Object.keys(FREQUENCY_PLANS).join(', ')}`);

/** An AES-128 key: 16 bytes, upper-case hex out (docs/behaviour.md §2.1 writes bytes as hex). */
export const aesKeySchema = z
  .string({ error: 'must be 16 bytes of hex' })
  .transform(normalizeHex)
  .pipe(z.string().regex(/^[0-9A-F]{32}$/, 'must be 16 bytes of hex (32 hex digits)'));

export const keyEnvelope = z.object({ key: aesKeySchema });
