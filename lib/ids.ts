import { z } from 'zod';
import { normalizeHex } from './lorawan/versions';

/** docs/behaviour.md §2: application and device IDs. */
export const ID_PATTERN = /^[a-z0-9](?:-?[a-z0-9]){2,}$/;
export const ID_MAX = 36;

export const idSchema = z
  .string()
  .max(ID_MAX, `must be at most ${ID_MAX} characters`)
  .regex(
    ID_PATTERN,
    'must be at least 3 lowercase letters, digits or single dashes, not starting or ending with a dash',
  );

export const isValidId = (s: string) => s.length <= ID_MAX && ID_PATTERN.test(s);

/**
 * TTS Cloud's `{id}@{tenant}` (an application ID in MQTT usernames and topic names); `tenant`
 * is undefined when there is no `@`. Neither part is validated here.
 */
export function splitTenant(s: string): { id: string; tenant?: string } {
  const at = s.indexOf('@');
  return at === -1 ? { id: s } : { id: s.slice(0, at), tenant: s.slice(at + 1) };
}

const hexBytes = (bytes: number) =>
  z
    .string()
    .transform(normalizeHex)
    .pipe(z.string().regex(new RegExp(`^[0-9A-F]{${bytes * 2}}$`), `must be ${bytes} bytes of hex`));

export const euiSchema = hexBytes(8);
export const devAddrSchema = hexBytes(4);
