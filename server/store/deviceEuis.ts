import type { Kysely } from 'kysely';
import { deviceEuisTaken } from './errors';
import type { Database } from './schema';

/**
 * One device per JoinEUI + DevEUI, across applications, as TTS's registry: a join-request names
 * its device by that pair alone, so a second device with the same pair would take over the
 * first one's joins. Checked inside the writing transaction, so two creates cannot both pass.
 * A device without a DevEUI (ABP without one) claims nothing.
 */
export async function claimEuis(
  trx: Kysely<Database>,
  euis: { join_eui: string | null; dev_eui: string | null },
  self?: { application_id: string; device_id: string },
): Promise<void> {
  if (!euis.dev_eui) return;
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
