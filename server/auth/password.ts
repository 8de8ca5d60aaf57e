import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (
  pw: string,
  salt: Buffer,
  len: number,
  opts: object,
) => Promise<Buffer>;
/** OWASP's scrypt minimum: N=2^17, r=8, p=1 — 128 MiB and a few hundred ms per check. */
export const PASSWORD_PARAMS = { N: 2 ** 17, r: 8, p: 1 };

/** scrypt needs 128·N·r bytes; Node refuses more than 32 MiB unless told. */
const maxmem = (N: number, r: number) => 128 * N * r + 1024 * 1024;

/** `scrypt$N$r$p$salt$hash`, base64 parts: the admin password is human-chosen, so a slow hash. */
export async function hashPassword(password: string): Promise<string> {
  const { N, r, p } = PASSWORD_PARAMS;
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, 32, { N, r, p, maxmem: maxmem(N, r) });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** Checks against the parameters the hash was made with, so older, cheaper hashes still verify. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length, {
    ...params,
    maxmem: maxmem(params.N, params.r),
  });
  return timingSafeEqual(actual, expected);
}

/** A hash made with weaker parameters than today's: replace it at the next successful login. */
export function needsRehash(stored: string): boolean {
  const [scheme, n, r, p] = stored.split('$');
  const { N, r: R, p: P } = PASSWORD_PARAMS;
  return scheme !== 'scrypt' || Number(n) < N || Number(r) < R || Number(p) < P;
}

/** A generated admin password: 18 random bytes, URL-safe, easy to paste. */
export const generatePassword = () => randomBytes(18).toString('base64url');
