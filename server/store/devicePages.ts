/**
 * One page of an application's devices, searched and ordered in the database (issue 16 item 3):
 * the console reads fifty rows of a fleet of thousands, not the fleet.
 */
import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import type { DeviceListQuery } from '../../lib/schemas/devicePages';
import { DEVICE_COLUMNS, toEndDevice } from './deviceKeys';
import type { EndDevice } from './ports';
import type { Database } from './schema';

const SEARCHED = ['device_id', 'name', 'dev_eui', 'join_eui', 'dev_addr'] as const;

/** LIKE with `!` as escape: no backslash, whose literal spelling differs between engines. */
const likeEscaped = (s: string) => `%${s.replaceAll(/[!%_]/g, (c) => `!${c}`)}%`;

/**
 * Each word must occur in one of the columns, case aside; an EUI may be typed with `-` or `:`.
 * The same rule the console applied in the browser before the server paged.
 */
function wordMatches(word: string): Expression<SqlBool> {
  const spellings = [...new Set([word, word.replaceAll(/[-:]/g, '')])].filter(Boolean);
  const alternatives = SEARCHED.flatMap((c) =>
    spellings.map((w) => sql<SqlBool>`lower(${sql.ref(c)}) like ${likeEscaped(w)} escape '!'`),
  );
  return sql<SqlBool>`(${sql.join(alternatives, sql` or `)})`;
}

export interface DevicePage {
  devices: EndDevice[];
  total: number;
}

export function devicePages(db: Kysely<Database>) {
  return async (applicationId: string, q: DeviceListQuery): Promise<DevicePage> => {
    let where = db.selectFrom('end_devices').where('application_id', '=', applicationId);
    for (const word of q.search.toLowerCase().split(/\s+/).filter(Boolean))
      where = where.where(wordMatches(word));
    const col = sql.ref(q.orderBy);
    // Empty values (never seen, no name) go last either way; the device ID settles ties.
    let rows = where
      .select(DEVICE_COLUMNS)
      .orderBy(sql`case when ${col} is null or ${col} = '' then 1 else 0 end`)
      .orderBy(q.orderBy, q.descending ? 'desc' : 'asc')
      .orderBy('device_id', 'asc');
    if (q.limit !== undefined) rows = rows.limit(q.limit).offset((q.page - 1) * q.limit);
    const [found, count] = await Promise.all([
      rows.execute(),
      where.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirst(),
    ]);
    return { devices: found.map(toEndDevice), total: Number(count?.n ?? 0) };
  };
}
