/**
 * The network layer's device registry (server/ns/ports.ts) over the `end_devices` table: the one
 * reader of sealed session keys for traffic. Only devices with keys take part — a device created
 * without them (or with a simulator-set DevAddr but no session keys) is never found here.
 */
import type { Kysely } from 'kysely';
import { bulkUpdater } from './bulkUpdate';
import { createBatcher } from './counterBatch';
import { contextOf, KEY_COLUMNS } from './deviceKeys';
import type { KeyVault } from './keyVault';
import type { Dialect } from './migrations';
import type { NsDeviceCache } from './nsDeviceCache';
import type { CounterSave, MacVersion, NsDevice, NsDeviceRegistry, NsSession } from './ports';
import type { Database, EndDevicesTable } from './schema';

const MAC_VERSIONS: Record<string, MacVersion> = {
  MAC_V1_0_2: '1.0.2',
  MAC_V1_0_3: '1.0.3',
  MAC_V1_0_4: '1.0.4',
};

const COLUMNS = [
  'application_id',
  'device_id',
  'dev_eui',
  'join_eui',
  'frequency_plan_id',
  'lorawan_version',
  ...KEY_COLUMNS,
] as const;
type Row = Pick<EndDevicesTable, (typeof COLUMNS)[number]>;

function toNsDevice(vault: KeyVault, row: Row): NsDevice | undefined {
  const macVersion = MAC_VERSIONS[row.lorawan_version ?? ''];
  if (!macVersion || !row.frequency_plan_id) return undefined;
  const at = (field: string) => contextOf(row.application_id, row.device_id, field);
  const device: NsDevice = {
    ids: {
      device_id: row.device_id,
      application_ids: { application_id: row.application_id },
      ...(row.dev_eui ? { dev_eui: row.dev_eui } : {}),
      ...(row.join_eui ? { join_eui: row.join_eui } : {}),
      ...(row.dev_addr ? { dev_addr: row.dev_addr } : {}),
    },
    macVersion,
    frequencyPlanId: row.frequency_plan_id,
  };
  if (row.app_key_sealed) device.appKey = vault.open(row.app_key_sealed, at('app_key'));
  if (row.dev_addr && row.nwk_s_key_sealed && row.app_s_key_sealed) {
    const session: NsSession = {
      devAddr: row.dev_addr,
      nwkSKey: vault.open(row.nwk_s_key_sealed, at('nwk_s_key')),
      appSKey: vault.open(row.app_s_key_sealed, at('app_s_key')),
      sessionKeyId: row.session_key_id ?? '',
    };
    if (row.last_f_cnt_up !== null) session.lastFCntUp = row.last_f_cnt_up;
    if (row.last_f_cnt_down !== null) session.lastFCntDown = row.last_f_cnt_down;
    if (row.session_abp === 1) session.abp = true;
    device.session = session;
  }
  return device;
}

/**
 * The counters alone, on every uplink and downlink: no key is sealed again. Only while the row
 * still holds the session the counters belong to (a session replaced meanwhile, through the API
 * or a join, keeps its own counters and keys), and only forward: a compare-and-set, so two
 * instances on one database that take frames of one device (ADR 0006 point 2) can neither take
 * one counter twice nor move a stored counter back. Each write moves one counter; the other is
 * null and left as stored.
 */
const updateCounters = bulkUpdater({
  table: 'end_devices',
  match: ['application_id', 'device_id'],
  set: ['session_key_id', 'last_f_cnt_up', 'last_f_cnt_down', 'last_seen_at'],
  // A downlink's counter write leaves the uplink counter and when the device was last seen as
  // they are; an uplink's leaves the downlink counter.
  keepWhenNull: ['last_f_cnt_up', 'last_f_cnt_down', 'last_seen_at'],
  // session_key_id is matched, not changed: it is "set" to the value it already holds.
  where: (row, value) =>
    [
      `coalesce(${row('session_key_id')}, '') = ${value('session_key_id')}`,
      ...(['last_f_cnt_up', 'last_f_cnt_down'] as const).map(
        (c) => `(${value(c)} IS NULL OR coalesce(${row(c)}, -1) < ${value(c)})`,
      ),
    ].join(' AND '),
  types: { last_f_cnt_up: 'integer', last_f_cnt_down: 'integer' },
});

interface CounterWrite {
  app: string;
  dev: string;
  session: NsSession;
  /** The counter this write moves. */
  counter: 'up' | 'down';
  seenAt?: string;
}

const keyOf = (c: { app: string; dev: string }) => `${c.app}\u0000${c.dev}`;

/**
 * Up to 256 writes of distinct devices are one statement (bulkUpdate.ts), atomic without a
 * transaction of their own; a batch of more, or with a device twice, is a transaction.
 */
const isOneStatement = (batch: readonly CounterWrite[]) =>
  batch.length <= 256 && new Set(batch.map(keyOf)).size === batch.length;

/**
 * One multi-row UPDATE per round; what each write found, in the batch's order. A device twice in
 * one batch (two frames in one turn) has its writes in successive rounds, in order, as one UPDATE
 * after another would have had them. A write that did not land is told apart by reading its row:
 * rare (a replaced session, or another instance first), so it costs nothing on the common path.
 */
async function writeCounterRounds(
  db: Kysely<Database>,
  dialect: Dialect,
  batch: readonly CounterWrite[],
): Promise<CounterSave[]> {
  const rounds: CounterWrite[][] = [];
  const seen = new Map<string, number>();
  for (const c of batch) {
    const k = keyOf(c);
    const round = seen.get(k) ?? 0;
    seen.set(k, round + 1);
    if (round === rounds.length) rounds.push([]);
    rounds[round]?.push(c);
  }
  const saved = new Set<CounterWrite>();
  for (const round of rounds) {
    const values = round.flatMap((c) => [
      c.app,
      c.dev,
      c.session.sessionKeyId,
      c.counter === 'up' ? (c.session.lastFCntUp ?? null) : null,
      c.counter === 'down' ? (c.session.lastFCntDown ?? null) : null,
      c.seenAt ?? null,
    ]);
    const updated = new Set(
      (await updateCounters(db, dialect, values)).map((r) =>
        keyOf({ app: String(r.application_id), dev: String(r.device_id) }),
      ),
    );
    for (const c of round) if (updated.has(keyOf(c))) saved.add(c);
  }
  return Promise.all(
    batch.map(async (c): Promise<CounterSave> => {
      if (saved.has(c)) return 'saved';
      const row = await db
        .selectFrom('end_devices')
        .select('session_key_id')
        .where('application_id', '=', c.app)
        .where('device_id', '=', c.dev)
        .executeTakeFirst();
      return row && (row.session_key_id ?? '') === c.session.sessionKeyId
        ? 'counter_used'
        : 'session_replaced';
    }),
  );
}

/**
 * Lookups by DevAddr go through `cache` (nsDeviceCache.ts), except inside a unit of work
 * (`transaction`): what it reads may not be committed yet, so it reads the table and, for every
 * write, invalidates the cache instead of updating it.
 */
export function nsDeviceRegistry(
  db: Kysely<Database>,
  vault: KeyVault,
  cache: NsDeviceCache,
  { transaction = false, dialect = 'sqlite' as Dialect } = {},
): NsDeviceRegistry {
  // Inside a unit of work the write is already part of a transaction: no batch of its own.
  const writeCounters = transaction
    ? async (c: CounterWrite) => (await writeCounterRounds(db, dialect, [c]))[0] ?? 'session_replaced'
    : createBatcher<CounterWrite, CounterSave>((batch) =>
        isOneStatement(batch)
          ? writeCounterRounds(db, dialect, batch)
          : db.transaction().execute((trx) => writeCounterRounds(trx, dialect, batch)),
      );
  const saveCounter = async (c: CounterWrite) => {
    const found = await writeCounters(c);
    if (found === 'saved' && !transaction) cache.counters(c.app, c.dev, c.session, c.counter);
    // Replaced, or behind what another instance stored: read the row again next time.
    else cache.device(c.app, c.dev, c.session.devAddr);
    return found;
  };
  const read = async (devAddr: string) => {
    const rows = await db
      .selectFrom('end_devices')
      .select(COLUMNS)
      .where('dev_addr', '=', devAddr)
      .where('nwk_s_key_sealed', 'is not', null)
      .execute();
    return rows.flatMap((r) => toNsDevice(vault, r) ?? []);
  };
  return {
    async findForJoin(joinEui, devEui) {
      const rows = await db
        .selectFrom('end_devices')
        .select(COLUMNS)
        .where('join_eui', '=', joinEui.toUpperCase())
        .where('dev_eui', '=', devEui.toUpperCase())
        .where('app_key_sealed', 'is not', null)
        // supports_join unset (null) with a root key counts as OTAA, as the API sets it.
        .where((eb) => eb.or([eb('supports_join', 'is', null), eb('supports_join', '=', 1)]))
        .orderBy('application_id')
        .execute();
      return rows.flatMap((r) => toNsDevice(vault, r) ?? []);
    },

    async findByDevAddr(devAddr) {
      const addr = devAddr.toUpperCase();
      if (transaction) return read(addr);
      const hit = cache.get(addr);
      if (hit) return [...hit];
      const fill = cache.startFill(addr);
      return [...cache.fill(addr, fill, await read(addr))];
    },

    async useDevNonce(applicationId, deviceId, devNonce) {
      // The primary key refuses a second use; ON CONFLICT makes that a no-op, not an error.
      const r = await db
        .insertInto('end_device_dev_nonces')
        .values({ application_id: applicationId, device_id: deviceId, dev_nonce: devNonce })
        .onConflict((oc) => oc.columns(['application_id', 'device_id', 'dev_nonce']).doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
    },

    async saveSession(applicationId, deviceId, session) {
      const at = (field: string) => contextOf(applicationId, deviceId, field);
      await db
        .updateTable('end_devices')
        .set({
          dev_addr: session.devAddr,
          nwk_s_key_sealed: vault.seal(session.nwkSKey, at('nwk_s_key')),
          app_s_key_sealed: vault.seal(session.appSKey, at('app_s_key')),
          session_key_id: session.sessionKeyId,
          last_f_cnt_up: session.lastFCntUp ?? null,
          last_f_cnt_down: session.lastFCntDown ?? null,
          session_abp: session.abp ? 1 : 0,
        })
        .where('application_id', '=', applicationId)
        .where('device_id', '=', deviceId)
        .execute();
      cache.device(applicationId, deviceId, session.devAddr);
    },

    saveFCntUp: (app, dev, session, seenAt) => saveCounter({ app, dev, session, counter: 'up', seenAt }),
    saveFCntDown: (app, dev, session) => saveCounter({ app, dev, session, counter: 'down' }),
  };
}
