import { errorDetails, type MoteError } from '../../lib/errors';
import { inferLocation } from '../../lib/formatters/location';
import type { NormalizedPayload } from '../../lib/formatters/model';
import {
  type ApplicationJoinAccept,
  type ApplicationUplink,
  bytesToBase64,
  type EndDeviceIds,
  type Location,
} from '../../lib/messages';
import { type AsCore, deviceKey } from './context';
import { mergeCorrelationIds } from './correlation';
import { invalidIdentifiers } from './errors';
import { EVENTS } from './events';
import { scriptOutputErrors } from './formatters/errors';

/**
 * Uplink and join handling as a pipeline of named steps (docs/architecture.md §7.2), over a context object:
 * validate → addCorrelationIds → addVersionIds → decode (and normalize) → publish (uplink,
 * normalized, location, decode failure) → record.
 */
export interface UplinkContext {
  ids: EndDeviceIds;
  uplink: ApplicationUplink;
  correlationIds: string[];
  receivedAt: string;
  simulated: boolean;
  /** From the decoded payload (docs/behaviour.md §7): also published as `location_solved`. */
  location?: Location;
  /** `normalizeUplink`'s measurements: each is also published as `uplink_normalized`. */
  normalized?: NormalizedPayload;
  decodeError?: MoteError;
}

/** Last-seen times, coalesced per device and written in one transaction per flush. */
export type RecordSeen = (applicationId: string, deviceId: string, at: string) => void;

function validate(ctx: { ids: EndDeviceIds }) {
  if (!ctx.ids.device_id || !ctx.ids.application_ids?.application_id) {
    throw invalidIdentifiers();
  }
}

function addUpCorrelationId(core: AsCore, ctx: { correlationIds: string[] }) {
  ctx.correlationIds = mergeCorrelationIds(ctx.correlationIds, [`as:up:${core.ids.ulid()}`]);
}

/**
 * docs/behaviour.md §7, as TTS payload.go: skipped without FPort; a failure keeps the uplink (published
 * without `decoded_payload`) and becomes an event; a location in the payload is solved.
 */
async function decode(core: AsCore, ctx: UplinkContext) {
  const { f_port: fPort, frm_payload: bytes } = ctx.uplink;
  if (!core.formatters || !fPort || !bytes) return;
  const app = ctx.ids.application_ids.application_id;
  const { decoded, error } = await core.formatters.decodeUplink(app, ctx.ids.device_id, bytes, fPort);
  if (error) {
    ctx.decodeError = error;
    return;
  }
  if (!decoded) return;
  const normalizing = await core.formatters.normalizeUplink(app, ctx.ids.device_id, decoded.data);
  if (normalizing.error) {
    ctx.decodeError = normalizing.error;
    // As TTS's javascript.go: a normalizer that throws fails the whole decode; one that returns
    // `errors` fails it after `decoded_payload` was set, so that is kept.
    if (!scriptOutputErrors.is(normalizing.error)) return;
  }
  const uplink: ApplicationUplink = { ...ctx.uplink, decoded_payload: decoded.data };
  if (decoded.warnings.length > 0) uplink.decoded_payload_warnings = decoded.warnings;
  const normalized = normalizing.normalized;
  if (normalized) {
    uplink.normalized_payload = normalized.measurements;
    if (normalized.warnings.length > 0) uplink.normalized_payload_warnings = normalized.warnings;
    ctx.normalized = normalized;
  }
  const location = inferLocation(decoded.data);
  if (location) {
    uplink.locations = { ...uplink.locations, 'frm-payload': location };
    ctx.location = location;
  }
  ctx.uplink = uplink;
}

/** As TTS's AS (applicationserver.go handleUplink): the device's registered version IDs ride on every `up`. */
async function addVersionIds(core: AsCore, ctx: UplinkContext) {
  const versionIds = await core.devices.versionIds(ctx.ids.application_ids.application_id, ctx.ids.device_id);
  if (versionIds) ctx.uplink = { ...ctx.uplink, version_ids: versionIds };
}

function publishUplink(core: AsCore, ctx: UplinkContext) {
  core.publish(ctx.ids, 'uplink_message', ctx.uplink, ctx.correlationIds, {
    receivedAt: ctx.receivedAt,
    simulated: ctx.simulated,
  });
  core.log.debug(
    { event: EVENTS.upDataForward, device: ctx.ids.device_id, f_cnt: ctx.uplink.f_cnt },
    'uplink',
  );
}

function publishLocation(core: AsCore, ctx: UplinkContext) {
  if (!ctx.location) return;
  core.publish(
    ctx.ids,
    'location_solved',
    { service: 'frm-payload', location: ctx.location },
    ctx.correlationIds,
    {
      receivedAt: ctx.receivedAt,
      simulated: ctx.simulated,
    },
  );
}

/** TTS publishNormalizedUplink: one `up/normalized` per measurement, with the uplink's metadata. */
function publishNormalized(core: AsCore, ctx: UplinkContext) {
  if (!ctx.normalized) return;
  const {
    decoded_payload: _d,
    decoded_payload_warnings: _w,
    normalized_payload: _n,
    normalized_payload_warnings: _nw,
    ...uplink
  } = ctx.uplink;
  const warnings = ctx.normalized.warnings.length > 0 ? ctx.normalized.warnings : undefined;
  for (const measurement of ctx.normalized.measurements) {
    core.publish(
      ctx.ids,
      'uplink_normalized',
      { ...uplink, normalized_payload: measurement, normalized_payload_warnings: warnings },
      ctx.correlationIds,
      { receivedAt: ctx.receivedAt, simulated: ctx.simulated },
    );
  }
}

function publishDecodeFailure(core: AsCore, ctx: UplinkContext) {
  if (!ctx.decodeError) return;
  const { f_port, f_cnt, frm_payload } = ctx.uplink;
  core.consoleEvents.uplinkDecodeFailed(
    ctx.ids,
    {
      f_port,
      f_cnt,
      frm_payload: frm_payload ? bytesToBase64(frm_payload) : undefined,
      error: errorDetails(ctx.decodeError),
    },
    ctx.correlationIds,
    ctx.receivedAt,
  );
  core.log.debug(
    { event: EVENTS.upDataDecodeFail, device: ctx.ids.device_id, error: ctx.decodeError.name },
    'uplink decoder failed',
  );
}

export async function handleUplink(
  core: AsCore,
  recordSeen: RecordSeen,
  input: Omit<UplinkContext, 'receivedAt'>,
): Promise<string[]> {
  const ctx: UplinkContext = { ...input, receivedAt: core.clock.now().toISOString() };
  validate(ctx);
  addUpCorrelationId(core, ctx);
  await addVersionIds(core, ctx);
  await decode(core, ctx);
  publishUplink(core, ctx);
  publishNormalized(core, ctx);
  publishLocation(core, ctx);
  publishDecodeFailure(core, ctx);
  recordSeen(ctx.ids.application_ids.application_id, ctx.ids.device_id, ctx.receivedAt);
  return ctx.correlationIds;
}

interface JoinContext {
  ids: EndDeviceIds;
  join: ApplicationJoinAccept;
  correlationIds: string[];
  receivedAt: string;
}

function publishJoin(core: AsCore, ctx: JoinContext) {
  const join = { ...ctx.join, received_at: ctx.join.received_at ?? ctx.receivedAt };
  core.publish(ctx.ids, 'join_accept', join, ctx.correlationIds, { receivedAt: ctx.receivedAt });
  core.log.debug({ event: EVENTS.upJoinForward, device: ctx.ids.device_id }, 'join');
}

/** A new session: new DevAddr and session key ID; downlink FCnt starts again (LoRaWAN 1.0.x). */
async function recordSession(core: AsCore, ctx: JoinContext) {
  const app = ctx.ids.application_ids.application_id;
  const session = (await core.devices.getSession<Record<string, unknown>>(app, ctx.ids.device_id)) ?? {};
  const sessionKeyId = ctx.join.session_key_id;
  await core.devices.setSession(
    app,
    ctx.ids.device_id,
    {
      ...session,
      session_key_id: sessionKeyId ? bytesToBase64(sessionKeyId) : undefined,
      dev_addr: ctx.ids.dev_addr,
      last_a_f_cnt_down: 0,
    },
    { dev_addr: ctx.ids.dev_addr ?? null, last_seen_at: ctx.receivedAt },
  );
  core.work.added(deviceKey(app, ctx.ids.device_id));
}

export async function handleJoin(
  core: AsCore,
  input: { ids: EndDeviceIds; join: ApplicationJoinAccept; correlationIds: string[] },
): Promise<void> {
  const ctx: JoinContext = { ...input, receivedAt: core.clock.now().toISOString() };
  validate(ctx);
  addUpCorrelationId(core, ctx);
  publishJoin(core, ctx);
  await recordSession(core, ctx);
}
