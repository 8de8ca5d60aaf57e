import { z } from 'zod';
import {
  MAX_FORMATTER_PARAMETER,
  type MessagePayloadFormatters,
  PAYLOAD_FORMATTERS,
  SUPPORTED_FORMATTERS,
} from '../formatters/model';
import { base64ToBytes } from '../messages/base64';
import { protoObject } from './protoJson';

/**
 * Request bodies for formatters (docs/behaviour.md §7): the application link, a device's override and the
 * console's test pane. Shared by the HTTP API, the CLI and the console's editor.
 */

const obj = protoObject;

/** Enum names or proto numbers; REPOSITORY and GRPC_SERVICE are refused (no such service here). */
const formatterName = z.preprocess(
  (v) => (typeof v === 'number' && Number.isInteger(v) ? (PAYLOAD_FORMATTERS[v] ?? v) : v),
  z.enum(SUPPORTED_FORMATTERS, { error: `must be one of ${SUPPORTED_FORMATTERS.join(', ')}` }),
);

const parameter = z
  .string()
  .max(MAX_FORMATTER_PARAMETER, `must be at most ${MAX_FORMATTER_PARAMETER} characters`);

export const messagePayloadFormatters = obj({
  up_formatter: formatterName.optional(),
  up_formatter_parameter: parameter.optional(),
  down_formatter: formatterName.optional(),
  down_formatter_parameter: parameter.optional(),
}) as z.ZodType<MessagePayloadFormatters>;

/** TTS sends `{"link": {…}, "field_mask": …}`; the issue's shorter `{"default_formatters": …}` works too. */
export const setLinkRequest = z.preprocess(
  (v) => (typeof v === 'object' && v !== null && 'link' in v ? (v as { link: unknown }).link : v),
  obj({ default_formatters: messagePayloadFormatters.nullable() }),
);

/**
 * `PUT /as/applications/{app}/devices/{dev}`: only `formatters` is kept by Mote's AS; null clears.
 * The field is required (as the link's), so a misspelt body is refused instead of clearing them.
 */
export const setDeviceFormattersRequest = obj({
  end_device: obj({ formatters: messagePayloadFormatters.nullable() }),
});

const fPort = z.number().int().min(1, 'must be between 1 and 255').max(255, 'must be between 1 and 255');
const bytes = z.string().transform((s, ctx) => {
  const b = base64ToBytes(s);
  if (!b) {
    ctx.addIssue({ code: 'custom', message: 'must be base64' });
    return z.NEVER;
  }
  return b;
});

/**
 * The console's test pane: run a formatter before saving it. `formatters` defaults to what is
 * saved (the device's, then the application's). `uplink` decodes; `downlink` encodes
 * `decoded_payload`, or decodes `frm_payload` with `decodeDownlink`.
 */
export const formatterTestRequest = obj({
  device_id: z.string().optional(),
  formatters: messagePayloadFormatters.optional(),
  uplink: obj({ f_port: fPort, frm_payload: bytes.optional() }).optional(),
  downlink: obj({
    f_port: fPort,
    frm_payload: bytes.optional(),
    decoded_payload: z.record(z.string(), z.unknown()).optional(),
  }).optional(),
}).refine((r) => (r.uplink === undefined) !== (r.downlink === undefined), {
  message: 'give exactly one of `uplink` or `downlink`',
});

export type FormatterTestRequest = z.output<typeof formatterTestRequest>;
