import type { Kysely } from 'kysely';
import { KEK_CHECK_CONTEXT, KEK_CHECK_PLAIN, type KeyVault } from './keyVault';
import type { Database } from './schema';

/**
 * At start: the first start seals a check value; every later start must open it, so a wrong
 * `MOTE_KEK` (or a replaced kek file) stops Mote with `kek_mismatch` before any key is read.
 */
export async function checkKek(db: Kysely<Database>, vault: KeyVault): Promise<void> {
  const row = await db
    .selectFrom('key_encryption')
    .select('sealed')
    .where('name', '=', 'check')
    .executeTakeFirst();
  if (row) {
    vault.open(row.sealed, KEK_CHECK_CONTEXT);
    return;
  }
  await db
    .insertInto('key_encryption')
    .values({ name: 'check', sealed: vault.seal(KEK_CHECK_PLAIN, KEK_CHECK_CONTEXT) })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
}
