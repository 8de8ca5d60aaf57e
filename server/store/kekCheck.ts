import type { Kysely } from 'kysely';
import { KEK_CHECK_CONTEXT, KEK_CHECK_PLAIN, type KeyVault } from './keyVault';
import type { Database } from './schema';

/**
 * At start: the first start seals a check value; every later start must open it, so a wrong
 * `MOTE_KEK` (or a replaced kek file) stops Mote with `kek_mismatch` before any key is read.
 */
export async function checkKek(db: Kysely<Database>, vault: KeyVault): Promise<void> {
  const stored = () =>
    db.selectFrom('key_encryption').select('sealed').where('name', '=', 'check').executeTakeFirst();
  let row = await stored();
  if (!row) {
    await db
      .insertInto('key_encryption')
      .values({ name: 'check', sealed: vault.seal(KEK_CHECK_PLAIN, KEK_CHECK_CONTEXT) })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    // Instances starting together on one PostgreSQL database: the first to insert wins, and
    // every other one must hold the same key.
    row = await stored();
  }
  if (row) vault.open(row.sealed, KEK_CHECK_CONTEXT);
}
