import { type Kysely, sql } from 'kysely';
import { deviceEuisTaken } from './errors';
import type { Dialect } from './migrations';
import type { Database } from './schema';

/** The first key of the EUI claims' PostgreSQL advisory locks ("EUIS"); the second is the pair's hash. */
const EUI_LOCKS = 0x45554953;

/**
 * One device per JoinEUI + DevEUI, across applications, as TTS's registry: a join-request names
 * its device by that pair alone, so a second device with the same pair would take over the
 * first one's joins. Checked inside the writing transaction, so two creates cannot both pass.
 * A device without a DevEUI (ABP without one) claims nothing.
 *
 * On PostgreSQL that is not enough: at READ COMMITTED two transactions on two instances (or two
 * pool connections) both find the pair free and both insert. Each claim holds the pair's
 * advisory lock until it commits, so the second check runs after the first insert is visible.
 * A lock, not a unique index: devices without a JoinEUI (NULL) must match one another, and
 * databases written before this fix may already hold duplicates an index would refuse to build on.
 */
export async function claimEuis(
  trx: Kysely<Database>,
  dialect: Dialect,
  euis: { join_eui: string | null; dev_eui: string | null },
  self?: { application_id: string; device_id: string },
): Promise<void> {
  if (!euis.dev_eui) return;
  if (dialect === 'postgres')
    await sql`select pg_advisory_xact_lock(${EUI_LOCKS}, hashtext(${`${euis.join_eui ?? ''}/${euis.dev_eui}`}))`.execute(
      trx,
    );
  let q = trx
    .selectFrom('end_devices')
    .select(['application_id', 'device_id'])
    .where('dev_eui', '=', euis.dev_eui)
    .where('join_eui', euis.join_eui === null ? 'is' : '=', euis.join_eui);
  if (self)
    q = q.where((eb) =>
      eb.or([eb('application_id', '!=', self.application_id), eb('device_id', '!=', self.device_id)]),
    );
  const holder = await q.executeTakeFirst();
  if (holder)
    throw deviceEuisTaken({
      join_eui: euis.join_eui ?? '',
      dev_eui: euis.dev_eui,
      device_id: holder.device_id,
      application_id: holder.application_id,
    });
}
