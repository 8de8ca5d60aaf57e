import { z } from 'zod';
import { base64ToBytes } from '../messages/base64';
import { type ApplicationDownlink, PRIORITIES } from '../messages/types';
import { protoObject } from './protoJson';

/**
 * `{"downlinks": [ApplicationDownlink, …]}` for push and replace (docs/behaviour.md §5). Only the fields a
 * client may set are taken; the rest are ignored, as TTS's `io.CleanDownlinks`. Shared by the
 * HTTP API, the MQTT frontend (through the AS core) and the console's form.
 */

/** EU868 RP002 largest application payload (DR4–7) — the limit at push time (docs/behaviour.md §5). */
export const MAX_FRM_PAYLOAD = 242;
export const MAX_CONFIRMED_ATTEMPTS = 32;
export const MAX_CORRELATION_ID_LENGTH = 100;

const obj = protoObject;

/** Proto-JSON numbers may come as strings. */
const uint = (max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v),
    z.number().int().min(0).max(max),
  );

const fPort = z.preprocess(
  (v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v),
  z
    .number()
    .int()
    .min(1, 'must be between 1 and 255')
    .max(255, 'must be between 1 and 255')
    .refine((n) => n !== 224, 'must not be 224 (reserved for the LoRaWAN test protocol)'),
);

const frmPayload = z.string().transform((s, ctx) => {
  const bytes = base64ToBytes(s);
  if (!bytes) {
    ctx.addIssue({ code: 'custom', message: 'must be base64' });
    return z.NEVER;
  }
  if (bytes.length > MAX_FRM_PAYLOAD) {
    ctx.addIssue({
      code: 'custom',
      message: `must be at most ${MAX_FRM_PAYLOAD} bytes, got ${bytes.length}`,
    });
    return z.NEVER;
  }
  return bytes;
});

const priority = z.preprocess(
  (v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < PRIORITIES.length ? PRIORITIES[v] : v,
  z.enum(PRIORITIES, { error: `must be one of ${PRIORITIES.join(', ')}` }),
);

const gatewayIds = obj({
  gateway_id: z.string().min(1).max(36),
  eui: z
    .string()
    .regex(/^[0-9a-fA-F]{16}$/)
    .optional(),
});

export const applicationDownlinkInput = obj({
  f_port: fPort,
  frm_payload: frmPayload.optional(),
  decoded_payload: z.record(z.string(), z.unknown()).optional(),
  priority: priority.optional(),
  confirmed: z.boolean().optional(),
  correlation_ids: z
    .array(
      z.string().max(MAX_CORRELATION_ID_LENGTH, `must be at most ${MAX_CORRELATION_ID_LENGTH} characters`),
    )
    .optional(),
  confirmed_retry: obj({
    attempt: uint(0xffffffff).optional(),
    max_attempts: uint(MAX_CONFIRMED_ATTEMPTS).optional(),
  }).optional(),
  class_b_c: obj({
    gateways: z
      .array(
        obj({
          gateway_ids: gatewayIds,
          antenna_index: uint(255).optional(),
          group_index: uint(255).optional(),
        }),
      )
      .optional(),
    absolute_time: z.iso.datetime({ offset: true }).optional(),
  }).optional(),
});

/** `{}` and `{"downlinks": []}` both mean "no items" (replace with them clears the queue). */
export const downlinksRequest = obj({
  downlinks: z.array(applicationDownlinkInput).optional(),
}).transform((r): { downlinks: ApplicationDownlink[] } => ({ downlinks: (r.downlinks ?? []).map(clean) }));

type Input = z.output<typeof applicationDownlinkInput>;

/** Drops undefined keys so a stored item reads like what the client sent. */
function clean(d: Input): ApplicationDownlink {
  const out: ApplicationDownlink = {};
  for (const [k, v] of Object.entries(d)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

export type DownlinksRequest = z.output<typeof downlinksRequest>;
