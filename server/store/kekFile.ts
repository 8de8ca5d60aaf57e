/**
 * Where the key-encryption key comes from (issue 12): `MOTE_KEK` when set, else `<dataDir>/kek`,
 * generated with mode 0600 on the first start and read back on every later one. Losing that file
 * loses every stored device key, as losing `MOTE_KEK` would.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { badKekFile } from './errors';
import { privateDir } from './privateFiles';

const HEX64 = /^[0-9a-fA-F]{64}$/;

export function loadKek(dataDir: string, fromEnv?: string): Buffer {
  if (fromEnv !== undefined) return Buffer.from(fromEnv, 'hex');
  const file = join(dataDir, 'kek');
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  if (text !== undefined) {
    if (!HEX64.test(text)) throw badKekFile({ file });
    return Buffer.from(text, 'hex');
  }
  privateDir(dataDir);
  const kek = randomBytes(32);
  // `wx`: two processes starting on one empty data dir must not each write their own key.
  writeFileSync(file, `${kek.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return kek;
}
