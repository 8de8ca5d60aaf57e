import { type Kysely, type Selectable, sql } from 'kysely';
import { type Clock, systemClock } from '../clock';
import { gatewayAlreadyExists, gatewayEuiTaken, notFoundGateway } from './errors';
import type { Dialect } from './migrations';
import type { Gateway, GatewayFields, GatewayStore } from './ports';
import type { Database, GatewaysTable } from './schema';
import { transact } from './transact';

const COLUMNS = [
  'gateway_id',
  'eui',
  'name',
  'description',
  'frequency_plan_id',
  'latitude',
  'longitude',
  'altitude',
  'created_at',
  'updated_at',
] as const;

function toGateway(r: Selectable<GatewaysTable>): Gateway {
  const g: Gateway = {
    gateway_id: r.gateway_id,
    eui: r.eui,
    frequency_plan_id: r.frequency_plan_id,
    created_at: r.created_at,
    updated_at: r.updated_at,
  };
  if (r.name !== '') g.name = r.name;
  if (r.description !== '') g.description = r.description;
  if (r.latitude !== null && r.longitude !== null) {
    g.location = { latitude: r.latitude, longitude: r.longitude };
    if (r.altitude !== null) g.location.altitude = r.altitude;
  }
  return g;
}

/** The location columns; a `location` key present but undefined clears them. */
function locationColumns(fields: Partial<GatewayFields>) {
  if (!('location' in fields)) return {};
  const l = fields.location;
  return { latitude: l?.latitude ?? null, longitude: l?.longitude ?? null, altitude: l?.altitude ?? null };
}

/** The key of the gateway registry's PostgreSQL advisory lock ("GTWY" in ASCII). */
const GATEWAY_LOCK = 0x47545759;

/**
 * The gateway registry over Kysely. The ID and EUI checks run in the transaction that writes, so
 * a refused request writes nothing and names which of the two was taken. The port takes no time
 * argument (the registry is the operator's, not the core's): `clock` stamps the rows.
 */
export function gatewayStore(
  db: Kysely<Database>,
  clock: Clock = systemClock,
  dialect: Dialect = 'sqlite',
): GatewayStore {
  /**
   * On PostgreSQL, instances write the registry side by side: a create or update holds the
   * registry's advisory lock until it commits, so two requests cannot both pass the ID and EUI
   * checks (the second would hit the unique index as an internal error). Writes are rare.
   */
  const lock = async (trx: Kysely<Database>) => {
    if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${GATEWAY_LOCK})`.execute(trx);
  };
  const find = (trx: Kysely<Database>, column: 'gateway_id' | 'eui', value: string) =>
    trx.selectFrom('gateways').select(COLUMNS).where(column, '=', value).executeTakeFirst();

  async function checkEui(trx: Kysely<Database>, eui: string, gatewayId: string): Promise<void> {
    const holder = await find(trx, 'eui', eui);
    if (holder && holder.gateway_id !== gatewayId)
      throw gatewayEuiTaken({ eui, taken_by: holder.gateway_id });
  }

  return {
    create: (gatewayId, fields) =>
      transact(db, async (trx) => {
        await lock(trx);
        if (await find(trx, 'gateway_id', gatewayId)) throw gatewayAlreadyExists({ gateway_id: gatewayId });
        await checkEui(trx, fields.eui, gatewayId);
        const at = clock.now().toISOString();
        await trx
          .insertInto('gateways')
          .values({
            gateway_id: gatewayId,
            eui: fields.eui,
            name: fields.name ?? '',
            description: fields.description ?? '',
            frequency_plan_id: fields.frequency_plan_id,
            latitude: null,
            longitude: null,
            altitude: null,
            ...locationColumns(fields),
            created_at: at,
            updated_at: at,
          })
          .execute();
        const row = await find(trx, 'gateway_id', gatewayId);
        if (!row) throw notFoundGateway({ gateway_id: gatewayId });
        return toGateway(row);
      }),

    async get(gatewayId) {
      const row = await find(db, 'gateway_id', gatewayId);
      if (!row) throw notFoundGateway({ gateway_id: gatewayId });
      return toGateway(row);
    },

    async findByEui(eui) {
      const row = await find(db, 'eui', eui.toUpperCase());
      return row && toGateway(row);
    },

    async list() {
      const rows = await db.selectFrom('gateways').select(COLUMNS).orderBy('gateway_id').execute();
      return rows.map(toGateway);
    },

    update: (gatewayId, fields) =>
      transact(db, async (trx) => {
        await lock(trx);
        if (!(await find(trx, 'gateway_id', gatewayId))) throw notFoundGateway({ gateway_id: gatewayId });
        if (fields.eui !== undefined) await checkEui(trx, fields.eui, gatewayId);
        const set: Partial<Omit<GatewaysTable, 'gateway_id' | 'created_at'>> = {
          ...locationColumns(fields),
          updated_at: clock.now().toISOString(),
        };
        if (fields.eui !== undefined) set.eui = fields.eui;
        if (fields.name !== undefined) set.name = fields.name;
        if (fields.description !== undefined) set.description = fields.description;
        if (fields.frequency_plan_id !== undefined) set.frequency_plan_id = fields.frequency_plan_id;
        await trx.updateTable('gateways').set(set).where('gateway_id', '=', gatewayId).execute();
        const row = await find(trx, 'gateway_id', gatewayId);
        if (!row) throw notFoundGateway({ gateway_id: gatewayId });
        return toGateway(row);
      }),

    async delete(gatewayId) {
      const r = await db.deleteFrom('gateways').where('gateway_id', '=', gatewayId).executeTakeFirst();
      if (Number(r.numDeletedRows) === 0) throw notFoundGateway({ gateway_id: gatewayId });
    },
  };
}
