/**
 * The store port: what the core, the auth services and the frontends may ask of storage. The
 * Kysely modules beside this file implement it over better-sqlite3 (embedded default); a
 * PostgreSQL store implements the same interface for several instances (docs/architecture.md).
 * Kysely types never leave server/store/.
 */
import type { ApplicationLink, MessagePayloadFormatters } from '../../lib/formatters/model';
import type { EndDeviceIds, VersionIds } from '../../lib/messages';
import type { Right } from '../../lib/rights';
import type { DeviceListQuery } from '../../lib/schemas/devicePages';
import type { Notices } from '../cluster/notices';
import type { VersionIdsWrite } from './versionIds';

export interface Application {
  application_id: string;
  name: string;
  description: string;
  created_at: string;
  updated_at: string;
}

export interface ApplicationFields {
  name?: string;
  description?: string;
}

export interface ApplicationStore {
  create(applicationId: string, fields: ApplicationFields, now: Date): Promise<Application>;
  get(applicationId: string): Promise<Application>;
  exists(applicationId: string): Promise<boolean>;
  list(): Promise<Application[]>;
  update(applicationId: string, fields: ApplicationFields, now: Date): Promise<Application>;
  /** Deletes the application with its devices, keys, queue and history, in one transaction. */
  delete(applicationId: string): Promise<void>;
}

export interface EndDevice {
  application_id: string;
  device_id: string;
  name: string;
  description: string;
  dev_eui: string | null;
  join_eui: string | null;
  dev_addr: string | null;
  last_seen_at: string | null;
  created_at: string;
  updated_at: string;
  /** LoRaWAN settings (issue 12); null on devices created without them. */
  frequency_plan_id: string | null;
  /** TTS's enum name: `MAC_V1_0_2`, `MAC_V1_0_3`, `MAC_V1_0_4`. */
  lorawan_version: string | null;
  /** TTS's enum name, e.g. `PHY_V1_0_3_REV_A`. */
  lorawan_phy_version: string | null;
  supports_join: boolean | null;
  /** TTS `EndDeviceVersionIdentifiers` (issue 15); undefined when none is set. */
  version_ids?: VersionIds;
}

/** What names a device on the wire (`end_device_ids`). */
export type DeviceIdentity = Readonly<
  Pick<EndDevice, 'application_id' | 'device_id' | 'dev_eui' | 'join_eui' | 'dev_addr'>
>;

/** A session given by the API (ABP): the 1.0.x NwkSKey is TTS's `f_nwk_s_int_key`. */
export interface SessionKeysInput {
  dev_addr: string;
  app_s_key: string;
  f_nwk_s_int_key: string;
}

/** A device's keys in the clear, for a caller with `RIGHT_APPLICATION_DEVICES_READ_KEYS` only. */
export interface EndDeviceKeys {
  app_key?: string;
  session?: SessionKeysInput & { session_key_id: string; last_f_cnt_up?: number; last_f_cnt_down?: number };
}

export interface EndDeviceFields {
  name?: string;
  description?: string;
  dev_eui?: string | null;
  join_eui?: string | null;
  dev_addr?: string | null;
  frequency_plan_id?: string;
  lorawan_version?: string;
  lorawan_phy_version?: string;
  supports_join?: boolean;
  /** Upper-case hex; sealed before it is stored (keyVault.ts). */
  app_key?: string;
  /** Replaces the session: a new session key ID, counters from zero. */
  session?: SessionKeysInput;
  /** Per field: a string sets it, null or '' clears it, absent keeps it. */
  version_ids?: VersionIdsWrite;
}

export interface DeviceStore {
  create(applicationId: string, deviceId: string, fields: EndDeviceFields, now: Date): Promise<EndDevice>;
  find(applicationId: string, deviceId: string): Promise<EndDevice | undefined>;
  get(applicationId: string, deviceId: string): Promise<EndDevice>;
  /** For every `down/push`: as `get`, served from memory, dropped on each write. */
  identity(applicationId: string, deviceId: string): Promise<DeviceIdentity>;
  list(applicationId: string): Promise<EndDevice[]>;
  /** One page of the application's devices, searched and ordered, with how many match. */
  page(applicationId: string, q: DeviceListQuery): Promise<{ devices: EndDevice[]; total: number }>;
  update(applicationId: string, deviceId: string, fields: EndDeviceFields, now: Date): Promise<EndDevice>;
  delete(applicationId: string, deviceId: string): Promise<void>;
  /** The device's keys, opened: only for a caller holding `RIGHT_APPLICATION_DEVICES_READ_KEYS`. */
  getKeys(applicationId: string, deviceId: string): Promise<EndDeviceKeys>;
  /** For every uplink (`uplink_message.version_ids`): served from memory, dropped on each write. */
  versionIds(applicationId: string, deviceId: string): Promise<VersionIds | undefined>;
  /** The AS core's and simulator's own per-device state (JSON), kept beside the device. */
  getSession<T>(applicationId: string, deviceId: string): Promise<T | undefined>;
  setSession(
    applicationId: string,
    deviceId: string,
    session: unknown,
    fields?: Pick<EndDeviceFields, 'dev_addr'> & { last_seen_at?: string },
  ): Promise<void>;
  getSettings<T>(applicationId: string, deviceId: string): Promise<T | undefined>;
  /** Sets one feature's key in the device's settings; undefined removes it. */
  setSetting(applicationId: string, deviceId: string, key: string, value: unknown): Promise<void>;
}

/** `end_devices.last_seen_at` in batches: one write for many devices' uplinks. */
export interface LastSeenStore {
  touchMany(
    entries: ReadonlyMap<string, { applicationId: string; deviceId: string; at: string }>,
  ): Promise<void>;
}

/** An API key as stored and listed: never the secret. */
export interface ApiKeyRecord {
  id: string;
  application_id: string;
  name: string;
  rights: Right[];
  expires_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface ApiKeyWithHash extends ApiKeyRecord {
  secret_hash: string;
}

export interface ApiKeyStore {
  insert(key: ApiKeyWithHash): Promise<void>;
  /** For authentication: the key with its hash, looked up by ID alone. */
  findWithHash(id: string): Promise<ApiKeyWithHash | undefined>;
  get(applicationId: string, id: string): Promise<ApiKeyRecord>;
  list(applicationId: string): Promise<ApiKeyRecord[]>;
  update(
    applicationId: string,
    id: string,
    fields: { name?: string; rights?: Right[]; expires_at?: string | null },
    now: Date,
  ): Promise<ApiKeyRecord>;
  delete(applicationId: string, id: string): Promise<void>;
  /** Keys whose expiry lies in (after, until]: the revocation watcher closes their sessions. */
  expiringBetween(after: Date, until: Date): Promise<string[]>;
}

export interface ConsoleSession {
  username: string;
  csrf_token: string;
  expires_at: string;
}

/** The admin account and console sessions. Session IDs are stored hashed, like API key secrets. */
export interface AdminStore {
  passwordHash(username: string): Promise<string | undefined>;
  setPassword(username: string, hash: string, now: Date): Promise<void>;
  createSession(sessionId: string, session: ConsoleSession, now: Date): Promise<void>;
  findSession(sessionId: string, now: Date): Promise<ConsoleSession | undefined>;
  deleteSession(sessionId: string): Promise<void>;
  /** Every session of `username`: a changed password ends them. */
  deleteSessions(username: string): Promise<void>;
  deleteExpiredSessions(now: Date): Promise<void>;
}

/** Payload formatters: the application's link and a device's override (docs/behaviour.md §7). */
export interface FormatterStore {
  getLink(applicationId: string): Promise<ApplicationLink>;
  setLink(applicationId: string, link: ApplicationLink): Promise<void>;
  /** The device's override, or undefined when it uses the application's defaults. */
  getDevice(applicationId: string, deviceId: string): Promise<MessagePayloadFormatters | undefined>;
  setDevice(
    applicationId: string,
    deviceId: string,
    formatters: MessagePayloadFormatters | undefined,
  ): Promise<void>;
}

/** A device's downlink queue; items are ApplicationDownlink proto-JSON texts. */
export interface DownlinkQueueStore {
  /** Appends; fails with `downlink_queue_full` (nothing written) past `capacity`. */
  push(
    applicationId: string,
    deviceId: string,
    items: readonly string[],
    capacity: number,
    now: Date,
  ): Promise<void>;
  /** Swaps the whole queue; an empty list clears it. */
  replace(
    applicationId: string,
    deviceId: string,
    items: readonly string[],
    capacity: number,
    now: Date,
  ): Promise<void>;
  /** Items in the order they will go out. */
  list(applicationId: string, deviceId: string): Promise<string[]>;
  count(applicationId: string, deviceId: string): Promise<number>;
  /** Removes and returns the head of the queue, or undefined when it is empty. */
  pop(applicationId: string, deviceId: string): Promise<string | undefined>;
  /** Puts a not-acknowledged confirmed downlink back at the front (docs/behaviour.md §5 retry). */
  pushFront(applicationId: string, deviceId: string, item: string, now: Date): Promise<void>;
  clear(applicationId: string, deviceId: string): Promise<void>;
}

/** One published ApplicationUp, as it went out (docs/behaviour.md §6 storage, `events/related`). */
export interface HistoryRecord {
  applicationId: string;
  deviceId: string;
  /** Body field name: `uplink_message`, `downlink_ack`, … */
  type: string;
  receivedAt: string;
  /** The ApplicationUp proto-JSON text, exactly as it went out on MQTT. */
  message: string;
  correlationIds: readonly string[];
}

export interface StoredUp {
  seq: number;
  applicationId: string;
  deviceId: string;
  type: string;
  receivedAt: string;
  message: string;
}

/** Which stored messages a storage read covers. */
export interface HistoryFilter {
  applicationId: string;
  deviceId?: string;
  /** Undefined: every type. */
  type?: string;
  /** RFC 3339 bounds on `received_at`, exclusive. */
  after?: string;
  before?: string;
  /** Uplinks on this FPort only (other types never match). */
  fPort?: number;
}

export interface HistoryQuery extends HistoryFilter {
  order: 'asc' | 'desc';
  limit: number;
}

export interface HistoryStore {
  /**
   * Write-behind for the hot path: the record is buffered and written with others in one batch.
   * Records keep the order they were appended in, also relative to transactions (below).
   */
  append(record: HistoryRecord): void;
  /** Writes what `append` buffered; resolves once it is stored (or kept for a retry). */
  flush(): Promise<void>;
  query(q: HistoryQuery): Promise<StoredUp[]>;
  /**
   * Every match (up to `limit`), read a page at a time by keyset on (`received_at`, `seq`):
   * memory stays constant and the database is free between pages.
   */
  pages(q: Omit<HistoryQuery, 'limit'> & { limit?: number }): AsyncIterable<StoredUp[]>;
  /** How many messages match, by device ID (TTS's GetStoredApplicationUpCountResponse). */
  count(f: HistoryFilter): Promise<Record<string, number>>;
  /** Messages carrying a correlation ID, oldest first; `applicationId` limits it to one app. */
  related(correlationId: string, options: RelatedOptions): Promise<StoredUp[]>;
  /** The same, a page at a time, so an answer is never held whole (issue 17 item 3). */
  relatedPages(correlationId: string, options: RelatedOptions): AsyncIterable<StoredUp[]>;
  /** Retention: drops messages received before `olderThan` and all but the newest `maxRows`. */
  prune(olderThan: string, maxRows: number): Promise<number>;
  /** Each listed device's newest stored `uplink_message` (none for a device without one). */
  newestUplinks(applicationId: string, deviceIds: readonly string[]): Promise<StoredUp[]>;
}

export interface RelatedOptions {
  applicationId?: string;
  limit: number;
  /** Match IDs that start with the given one (the console's filter), not only the ID itself. */
  prefix?: boolean;
}

/** What one unit of work may change; it commits or rolls back as a whole. */
export interface StoreTransaction {
  devices: DeviceStore;
  /** A join's DevNonce and session, or an uplink's counters, commit with what they published. */
  nsDevices: NsDeviceRegistry;
  queue: DownlinkQueueStore;
  /**
   * Stored when the unit commits, after everything appended before that moment: history stays
   * in the order messages were published (they are published once the unit committed).
   */
  history: { record(record: HistoryRecord): void };
}

export type MacVersion = '1.0.2' | '1.0.3' | '1.0.4';

/** A device's LoRaWAN session as the network layer keeps it (1.0.x: one NwkSKey). */
export interface NsSession {
  devAddr: string;
  nwkSKey: string;
  appSKey: string;
  /** Hex; the `session_key_id` published with `join` and `up` (base64 there). */
  sessionKeyId: string;
  /** The last 32-bit uplink FCnt accepted; undefined until the first uplink of the session. */
  lastFCntUp?: number;
  /** The last downlink FCnt used (NFCntDown/AFCntDown are one counter in 1.0.x). */
  lastFCntDown?: number;
  /** ABP sessions are given, not joined: their counters persist across restarts alike. */
  abp?: boolean;
}

/** What the network layer knows of one end device. */
export interface NsDevice {
  ids: EndDeviceIds;
  macVersion: MacVersion;
  frequencyPlanId: string;
  /** OTAA root key; undefined for an ABP-only device. */
  appKey?: string;
  session?: NsSession;
}

/** Device storage as the network layer needs it (implemented over the Store port). */
export interface NsDeviceRegistry {
  /**
   * The OTAA devices with this JoinEUI and DevEUI. Mote does not make the pair unique across
   * applications (two applications may register the same device): the MIC decides, as for DevAddr.
   */
  findForJoin(joinEui: string, devEui: string): Promise<NsDevice[]>;
  /** Devices whose current session has this DevAddr (several may share one; the MIC decides). */
  findByDevAddr(devAddr: string): Promise<NsDevice[]>;
  /**
   * Records a DevNonce; false when the device used it before (LoRaWAN 1.0.3 §6.2.5: any nonce
   * seen before is refused), in which case nothing changes.
   */
  useDevNonce(applicationId: string, deviceId: string, devNonce: number): Promise<boolean>;
  /** Replaces the device's session (a join): its keys are sealed and stored. */
  saveSession(applicationId: string, deviceId: string, session: NsSession): Promise<void>;
  /**
   * Stores an uplink's FCnt (`session.lastFCntUp`) and when the device was seen, in one row and
   * statement, durably before it resolves; keys and the downlink counter are not written. A
   * compare-and-set: only forward of the stored counter (see CounterSave).
   */
  saveFCntUp(
    applicationId: string,
    deviceId: string,
    session: NsSession,
    seenAt: string,
  ): Promise<CounterSave>;
  /** Stores a downlink's FCnt (`session.lastFCntDown`) alone, as saveFCntUp does an uplink's. */
  saveFCntDown(applicationId: string, deviceId: string, session: NsSession): Promise<CounterSave>;
}

/**
 * What a counter write found. `saved`. `session_replaced`: the device no longer holds this session
 * (`sessionKeyId`: replaced meanwhile, or the device deleted). `counter_used`: the stored counter
 * is already at or past this one — another instance on the same database took this or a later
 * frame first (docs/adr/0006-ns-device-cache.md point 2). Nothing is written unless `saved`.
 */
export type CounterSave = 'saved' | 'session_replaced' | 'counter_used';

/** A registered gateway (`mote gateways create`, `POST /api/v3/gateways`). */
export interface Gateway {
  gateway_id: string;
  /** Upper-case hex, 16 digits: what a packet forwarder sends in every datagram. Unique. */
  eui: string;
  name?: string;
  description?: string;
  frequency_plan_id: string;
  location?: { latitude: number; longitude: number; altitude?: number };
  created_at: string;
  updated_at: string;
}

export type GatewayFields = Omit<Gateway, 'gateway_id' | 'created_at' | 'updated_at'>;

/**
 * The gateway registry. `create` refuses a taken ID or EUI (`gateway_already_exists`,
 * `gateway_eui_taken`); `update`/`delete` of an unknown ID throw `gateway_not_found`.
 */
export interface GatewayStore {
  create(gatewayId: string, fields: GatewayFields): Promise<Gateway>;
  get(gatewayId: string): Promise<Gateway>;
  /** undefined when no gateway has the EUI: the UDP frontend asks for every datagram (cache it). */
  findByEui(eui: string): Promise<Gateway | undefined>;
  list(): Promise<Gateway[]>;
  /** Only the fields given; a `location` key present but undefined removes the location. */
  update(gatewayId: string, fields: Partial<GatewayFields>): Promise<Gateway>;
  delete(gatewayId: string): Promise<void>;
}

export interface Store {
  applications: ApplicationStore;
  devices: DeviceStore;
  lastSeen: LastSeenStore;
  apiKeys: ApiKeyStore;
  admin: AdminStore;
  formatters: FormatterStore;
  queue: DownlinkQueueStore;
  history: HistoryStore;
  /** The network layer's view of devices with keys (server/ns/ports.ts). */
  nsDevices: NsDeviceRegistry;
  /** The gateway registry (`/api/v3/gateways`), read by the UDP frontend by EUI. */
  gateways: GatewayStore;
  /**
   * Other instances on the same database (issue 14): what this one caches of the store is told
   * of their writes, and they of its own (cacheNotices.ts). Returns the way to stop hearing.
   */
  shareCaches?(others: Notices): () => void;
  /** Runs `fn` as one transaction: its queue, device and history changes commit together. */
  transaction<T>(fn: (tx: StoreTransaction) => Promise<T>): Promise<T>;
  /** Writes what is buffered, then releases the database. */
  close(): Promise<void>;
  /** The SQLite file, for tools and tests; undefined on a server database. */
  file?: string;
}
