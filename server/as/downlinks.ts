import { errorDetails, type MoteError } from '../../lib/errors';
import { type ApplicationDownlink, type EndDeviceIds, writeApplicationDownlink } from '../../lib/messages';
import { MAX_FRM_PAYLOAD } from '../../lib/schemas/downlinks';
import { type AsCore, deviceKey } from './context';
import { mergeCorrelationIds } from './correlation';
import { encodedTooLong, noPayload } from './errors';
import { EVENTS } from './events';
import type { DownlinkOperation } from './ports';

/**
 * Downlink queue operations (docs/behaviour.md §5) as a pipeline: findDevice → validate →
 * encode (§7) → addCorrelationIds → persist → publishQueued. All-or-nothing: nothing is written
 * or published until every item has passed, and the queue write is one transaction.
 */
interface QueueOpContext {
  applicationId: string;
  deviceId: string;
  operation: DownlinkOperation;
  downlinks: ApplicationDownlink[];
  ids?: EndDeviceIds;
  receivedAt: string;
}

async function findDevice(core: AsCore, ctx: QueueOpContext) {
  const d = await core.devices.identity(ctx.applicationId, ctx.deviceId);
  ctx.ids = {
    device_id: d.device_id,
    application_ids: { application_id: d.application_id },
    dev_eui: d.dev_eui ?? undefined,
    join_eui: d.join_eui ?? undefined,
    dev_addr: d.dev_addr ?? undefined,
  };
}

function validate(ctx: QueueOpContext) {
  ctx.downlinks.forEach((d, i) => {
    if (!d.frm_payload?.length && d.decoded_payload === undefined)
      throw noPayload({ field: `downlinks.${i}` });
  });
}

/**
 * docs/behaviour.md §7 (TTS payload.go): `frm_payload` wins and is decoded for display; otherwise the down
 * formatter encodes `decoded_payload`, and its failure rejects the whole request. With
 * FORMATTER_NONE an item with only `decoded_payload` goes out with an empty FRMPayload, as in TTS.
 */
async function encode(core: AsCore, ctx: QueueOpContext) {
  const formatters = core.formatters;
  if (!formatters) return;
  const { applicationId: app, deviceId: dev } = ctx;
  const encoded: ApplicationDownlink[] = [];
  for (const [i, d] of ctx.downlinks.entries()) {
    const fPort = d.f_port ?? 1;
    if (d.frm_payload?.length) {
      const decoded = d.decoded_payload
        ? undefined
        : await formatters.decodeDownlink(app, dev, d.frm_payload, fPort);
      encoded.push(decoded ? { ...d, decoded_payload: decoded.data } : d);
      continue;
    }
    if (!d.decoded_payload) {
      encoded.push(d);
      continue;
    }
    const out = await formatters.encodeDownlink(app, dev, d.decoded_payload, fPort).catch((e: unknown) => {
      core.log.info({ event: EVENTS.downDataEncodeFail, app, dev, index: i }, 'downlink encoder failed');
      throw e;
    });
    if (out && out.bytes.length > MAX_FRM_PAYLOAD)
      throw encodedTooLong({
        field: `downlinks.${i}.decoded_payload`,
        length: out.bytes.length,
        max: MAX_FRM_PAYLOAD,
      });
    encoded.push(out ? { ...d, f_port: out.fPort ?? fPort, frm_payload: out.bytes } : d);
  }
  ctx.downlinks = encoded;
}

function addCorrelationIds(core: AsCore, ctx: QueueOpContext) {
  ctx.downlinks = ctx.downlinks.map((d) => ({
    ...d,
    correlation_ids: mergeCorrelationIds(d.correlation_ids, [`as:downlink:${core.ids.ulid()}`]),
    // TTS initAndValidateConfirmationRetriesConfig: a confirmed item starts at attempt 1.
    confirmed_retry: d.confirmed
      ? { ...d.confirmed_retry, attempt: d.confirmed_retry?.attempt || 1 }
      : d.confirmed_retry,
  }));
}

/**
 * One queue transaction; `down/queued` then goes out on the hot path (write-behind history).
 * Not a unit of work: a unit runs after every store write queued before it, and with pushes as
 * units a QoS 0 push flood queued tens of thousands of them ahead of every other push and receive
 * window (test/mqtt-faults: 0 of 1 000 QoS 1 pushes acknowledged in 57 s). The item is durable
 * once this resolves; its `down/sent` is what must commit with the queue change (lifecycle.ts).
 */
async function persist(core: AsCore, ctx: QueueOpContext) {
  const texts = ctx.downlinks.map(writeApplicationDownlink);
  const now = core.clock.now();
  if (ctx.operation === 'push')
    await core.queue.push(ctx.applicationId, ctx.deviceId, texts, core.config.queueCapacity, now);
  else await core.queue.replace(ctx.applicationId, ctx.deviceId, texts, core.config.queueCapacity, now);
  core.work.added(deviceKey(ctx.applicationId, ctx.deviceId));
}

function publishQueued(core: AsCore, ctx: QueueOpContext) {
  const { ids } = ctx;
  if (!ids) return;
  for (const d of ctx.downlinks)
    core.publish(ids, 'downlink_queued', d, d.correlation_ids ?? [], { receivedAt: ctx.receivedAt });
}

export async function queueOperation(
  core: AsCore,
  applicationId: string,
  deviceId: string,
  operation: DownlinkOperation,
  downlinks: ApplicationDownlink[],
): Promise<void> {
  const ctx: QueueOpContext = {
    applicationId,
    deviceId,
    operation,
    downlinks,
    receivedAt: core.clock.now().toISOString(),
  };
  await findDevice(core, ctx);
  validate(ctx);
  await encode(core, ctx);
  addCorrelationIds(core, ctx);
  await persist(core, ctx);
  publishQueued(core, ctx);
}

/**
 * A failed request (docs/behaviour.md §5 Beyond): nothing changed, and the client hears why
 * on the device's `down/failed` topic with the error naming what was wrong.
 */
export function rejectDownlinks(
  core: AsCore,
  applicationId: string,
  deviceId: string,
  downlink: ApplicationDownlink,
  err: MoteError,
): void {
  if (err.errorClass === 'internal')
    core.log.error({ err, applicationId, deviceId }, 'downlink queue operation failed');
  core.log.info(
    { event: EVENTS.downDataDrop, applicationId, deviceId, error: err.name },
    'downlink rejected',
  );
  const correlationIds = mergeCorrelationIds(downlink.correlation_ids, [`as:downlink:${core.ids.ulid()}`]);
  const ids: EndDeviceIds = { device_id: deviceId, application_ids: { application_id: applicationId } };
  core.publish(
    ids,
    'downlink_failed',
    { downlink: { ...downlink, correlation_ids: correlationIds }, error: errorDetails(err) },
    correlationIds,
    { receivedAt: core.clock.now().toISOString() },
  );
}
