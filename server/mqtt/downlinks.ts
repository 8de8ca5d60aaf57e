import { asMoteError } from '../../lib/errors';
import type { ApplicationDownlink } from '../../lib/messages';
import { downlinksRequest } from '../../lib/schemas/downlinks';
import { parseJson, parseWith } from '../../lib/validation';
import type { DownlinkQueueOps } from '../as/ports';
import type { DownlinkReceipt, MqttPorts } from './ports';

/**
 * `down/push|replace` payloads, parsed here into the core's typed queue operations
 * (docs/behaviour.md §5). Never throws: bad input and refused operations change nothing and are
 * answered with `down/failed` on the device's topic, the error naming what was wrong. Resolves
 * once the result is durable, so a QoS 1 PUBACK means "stored".
 */
export function downlinkReceiver(
  queue: Pick<DownlinkQueueOps, 'push' | 'replace' | 'reject'>,
): MqttPorts['receiveDownlinks'] {
  return async (applicationId, deviceId, operation, payload): Promise<DownlinkReceipt> => {
    let raw: unknown;
    try {
      raw = parseJson(payload.toString('utf8'), 'downlink message');
      const { downlinks } = parseWith(downlinksRequest, raw, 'downlink message');
      await queue[operation](applicationId, deviceId, downlinks);
      return 'stored';
    } catch (e) {
      const error = asMoteError(e);
      queue.reject(applicationId, deviceId, salvage(raw), error);
      // Storage errors are the `unavailable` class (server/store/faults.ts): sending it again can work.
      return error.errorClass === 'unavailable' ? 'not_stored' : 'refused';
    }
  };
}

/** What can be read of a rejected request's first item, so a client can match the failure. */
function salvage(raw: unknown): ApplicationDownlink {
  const item = (raw as { downlinks?: unknown[] } | undefined)?.downlinks?.[0];
  if (typeof item !== 'object' || item === null) return {};
  const r = item as Record<string, unknown>;
  const out: ApplicationDownlink = {};
  const fPort = r.f_port ?? r.fPort;
  if (typeof fPort === 'number' && Number.isInteger(fPort) && fPort > 0 && fPort < 256) out.f_port = fPort;
  const cids = r.correlation_ids ?? r.correlationIds;
  if (Array.isArray(cids))
    out.correlation_ids = cids.filter((c): c is string => typeof c === 'string' && c.length <= 100);
  if (r.confirmed === true) out.confirmed = true;
  return out;
}
