import { errorDetails, type MoteError } from '../../lib/errors';
import { inferLocation } from '../../lib/formatters/location';
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

/**
 * Uplink and join handling as a pipeline of named steps (docs/architecture.md §7.2), over a context object:
 * validate → addCorrelationIds → addVersionIds → decode → publish (uplink, location, decode failure) → record.
 */
export interface UplinkContext {
  ids: EndDeviceIds;
  uplink: ApplicationUplink;
  correlationIds: string[];
  receivedAt: string;
  simulated: boolean;
  /** From the decoded payload (docs/behaviour.md §7): also published as `location_solved`. */
  location?: Location;
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
  const uplink: ApplicationUplink = { ...ctx.uplink, decoded_payload: decoded.data };
  if (decoded.warnings.length > 0) uplink.decoded_payload_warnings = decoded.warnings;
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
