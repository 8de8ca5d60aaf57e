/**
 * Payload formatters per application (link `default_formatters`) and per device (`formatters`
 * override), as TTS's payload.go picks them (docs/behaviour.md §7). The choice is read on every uplink, so
 * it is cached in memory; writes go through here and drop the cached entry.
 */
import { asMoteError, type MoteError } from '../../../lib/errors';
import {
  type ApplicationLink,
  type DecodedPayload,
  downChoice,
  type EncodedPayload,
  type FormatterChoice,
  type MessagePayloadFormatters,
  type NormalizedPayload,
  upChoice,
} from '../../../lib/formatters/model';
import type { Struct } from '../../../lib/messages';
import { NOTICES_LOST, type Notices, noNotices } from '../../cluster/notices';
import type { FormatterStore, Store } from '../../store/ports';
import type { Suspension } from './budget';
import { checkFormatters } from './compileCheck';
import { createPayloadEngine, type PayloadEngine } from './engine';
import { hashOf } from './javascript';
import { createScriptPool, type ScriptPoolOptions, type ScriptRunner, suspensionMessage } from './pool';

export type Direction = 'up' | 'down';

export interface FormatterService {
  getLink(applicationId: string): Promise<ApplicationLink>;
  setLink(applicationId: string, link: ApplicationLink): Promise<void>;
  getDevice(applicationId: string, deviceId: string): Promise<MessagePayloadFormatters | undefined>;
  setDevice(applicationId: string, deviceId: string, f: MessagePayloadFormatters | undefined): Promise<void>;
  /** The formatter that applies: the device's override, else the application's default. */
  choice(applicationId: string, deviceId: string, direction: Direction): Promise<FormatterChoice>;
  /** Never throws: a failing decoder must not drop the uplink (docs/behaviour.md §7). */
  decodeUplink(
    applicationId: string,
    deviceId: string,
    bytes: Uint8Array,
    fPort: number,
  ): Promise<{ decoded?: DecodedPayload; error?: MoteError }>;
  /** `normalizeUplink` of the up formatter, if it has one (issue 15). Never throws. */
  normalizeUplink(
    applicationId: string,
    deviceId: string,
    data: Struct,
  ): Promise<{ normalized?: NormalizedPayload; error?: MoteError }>;
  /** Throws the formatter's MoteError: an encoder failure rejects the push. */
  encodeDownlink(
    applicationId: string,
    deviceId: string,
    data: Struct,
    fPort: number,
  ): Promise<EncodedPayload | undefined>;
  /** For display only (TTS fills `decoded_payload` of a raw downlink): failures give undefined. */
  decodeDownlink(
    applicationId: string,
    deviceId: string,
    bytes: Uint8Array,
    fPort: number,
  ): Promise<DecodedPayload | undefined>;
  engine: PayloadEngine;
  /** The application's JavaScript formatters suspended for running to their deadline (pool.ts). */
  status(applicationId: string): Promise<FormatterStatus>;
  /** Stops the script workers, if any. */
  close(): Promise<void>;
}

/** What the console and `GET …/formatters/status` show of an application's scripts. */
export interface FormatterStatus {
  suspended: (Suspension & {
    /** The application's default formatters run this script (else a device override does). */
    default: boolean;
    message: string;
  })[];
}

/** Cached entries live this long, so a device deleted and created again is not stale for long. */
const CACHE_MS = 10_000;

/**
 * The formatters over Mote's store, with a worker pool for JavaScript; without pool options
 * (tests that need no scripts) JavaScript answers `formatter_unavailable`.
 */
export function startFormatters(
  store: Pick<Store, 'formatters'>,
  scripts: ScriptPoolOptions | undefined,
  others?: Notices,
): FormatterService {
  const pool = scripts && createScriptPool(scripts);
  return createFormatterService(store.formatters, createPayloadEngine(pool), pool, Date.now, others);
}

export function createFormatterService(
  store: FormatterStore,
  engine: PayloadEngine,
  scripts?: ScriptRunner,
  now = Date.now,
  others: Notices = noNotices(),
): FormatterService {
  // Entries hold the lookup's promise, so a burst of uplinks for one device shares one query
  // when an entry is missing or stale (at 50 000 uplinks/s, per-uplink queries piled up).
  type Entry = { value: Promise<MessagePayloadFormatters | undefined>; at: number };
  const links = new Map<string, Entry>();
  const devices = new Map<string, Entry>();
  const cached = (
    map: Map<string, Entry>,
    key: string,
    load: () => Promise<MessagePayloadFormatters | undefined>,
  ) => {
    const hit = map.get(key);
    if (hit && now() - hit.at < CACHE_MS) return hit.value;
    const value = load();
    const entry = { value, at: now() };
    map.set(key, entry);
    // A failed lookup is not kept: the next call asks again.
    value.catch(() => map.get(key) === entry && map.delete(key));
    return value;
  };

  async function formattersOf(
    applicationId: string,
    deviceId: string,
  ): Promise<MessagePayloadFormatters | undefined> {
    const device = await cached(devices, `${applicationId}/${deviceId}`, () =>
      store.getDevice(applicationId, deviceId),
    );
    if (device) return device;
    return cached(links, applicationId, async () => (await store.getLink(applicationId)).default_formatters);
  }

  // Formatters saved on another instance (issue 14): `f <app>` or `f <app> <dev>` among the
  // store's notices (store/cacheNotices.ts); a save there also resumes suspended scripts here.
  const stopHearing = others.on((text) => {
    if (text === NOTICES_LOST) {
      links.clear();
      devices.clear();
    }
    for (const line of text.split('\n')) {
      const [kind, applicationId, deviceId] = line.split(' ');
      if (kind !== 'f' || !applicationId) continue;
      if (deviceId) devices.delete(`${applicationId}/${deviceId}`);
      else links.delete(applicationId);
      scripts?.resume(applicationId);
    }
  });

  const service: FormatterService = {
    engine,
    async close() {
      stopHearing();
      await scripts?.close();
    },
    async status(applicationId) {
      const f = (await store.getLink(applicationId)).default_formatters;
      const defaults = [f?.up_formatter_parameter, f?.down_formatter_parameter].map((p) => p && hashOf(p));
      const suspended = scripts?.suspensions(applicationId) ?? [];
      return {
        suspended: suspended.map((s) => ({
          ...s,
          default: defaults.includes(s.hash),
          message: suspensionMessage(s),
        })),
      };
    },
    getLink: (applicationId) => store.getLink(applicationId),
    // Saving formatters is how a suspended script is resumed (issue 17 item 4), edited or not.
    async setLink(applicationId, link) {
      await checkFormatters(engine, applicationId, link.default_formatters);
      await store.setLink(applicationId, link);
      links.delete(applicationId);
      scripts?.resume(applicationId);
      others.send(`f ${applicationId}`);
    },
    getDevice: (applicationId, deviceId) => store.getDevice(applicationId, deviceId),
    async setDevice(applicationId, deviceId, f) {
      await checkFormatters(engine, applicationId, f);
      await store.setDevice(applicationId, deviceId, f);
      devices.delete(`${applicationId}/${deviceId}`);
      scripts?.resume(applicationId);
      others.send(`f ${applicationId} ${deviceId}`);
    },
    async choice(applicationId, deviceId, direction) {
      const f = await formattersOf(applicationId, deviceId);
      return direction === 'up' ? upChoice(f) : downChoice(f);
    },
    async decodeUplink(applicationId, deviceId, bytes, fPort) {
      try {
        const choice = await service.choice(applicationId, deviceId, 'up');
        return { decoded: await engine.decodeUplink({ applicationId, deviceId }, choice, bytes, fPort) };
      } catch (e) {
        return { error: asMoteError(e) };
      }
    },
    async normalizeUplink(applicationId, deviceId, data) {
      try {
        const choice = await service.choice(applicationId, deviceId, 'up');
        return { normalized: await engine.normalizeUplink({ applicationId, deviceId }, choice, data) };
      } catch (e) {
        return { error: asMoteError(e) };
      }
    },
    async encodeDownlink(applicationId, deviceId, data, fPort) {
      const choice = await service.choice(applicationId, deviceId, 'down');
      return engine.encodeDownlink({ applicationId, deviceId }, choice, data, fPort);
    },
    async decodeDownlink(applicationId, deviceId, bytes, fPort) {
      try {
        return await engine.decodeDownlink(
          { applicationId, deviceId },
          await service.choice(applicationId, deviceId, 'down'),
          bytes,
          fPort,
        );
      } catch {
        return undefined;
      }
    },
  };
  return service;
}
