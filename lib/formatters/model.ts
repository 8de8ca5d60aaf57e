/**
 * Payload formatters (docs/behaviour.md §7), named as TTS's `MessagePayloadFormatters` (messages.proto): a
 * device's `formatters` override its application link's `default_formatters`.
 */
import type { Struct } from '../messages';

/** TTS `PayloadFormatter` enum, by value: the index is the proto number. */
export const PAYLOAD_FORMATTERS = [
  'FORMATTER_NONE',
  'FORMATTER_REPOSITORY',
  'FORMATTER_GRPC_SERVICE',
  'FORMATTER_JAVASCRIPT',
  'FORMATTER_CAYENNELPP',
] as const;
export type PayloadFormatter = (typeof PAYLOAD_FORMATTERS)[number];

/** What Mote runs; the repository and gRPC formatters need services Mote does not have. */
export const SUPPORTED_FORMATTERS = [
  'FORMATTER_NONE',
  'FORMATTER_JAVASCRIPT',
  'FORMATTER_CAYENNELPP',
] as const;
export type SupportedFormatter = (typeof SUPPORTED_FORMATTERS)[number];

export interface MessagePayloadFormatters {
  up_formatter?: SupportedFormatter;
  up_formatter_parameter?: string;
  down_formatter?: SupportedFormatter;
  down_formatter_parameter?: string;
}

/** TTS `ApplicationLink`, of which Mote keeps the formatters. */
export interface ApplicationLink {
  default_formatters?: MessagePayloadFormatters;
}

/** TTS `formatters.max-parameter-length` default: 40960 characters per script. */
export const MAX_FORMATTER_PARAMETER = 40_960;

export interface DecodedPayload {
  data: Struct;
  warnings: string[];
}

/** What `normalizeUplink` gave (TTS `normalized_payload`): one object per measurement. */
export interface NormalizedPayload {
  measurements: Struct[];
  warnings: string[];
}

export interface EncodedPayload {
  bytes: Uint8Array;
  /** The script may choose the FPort (TTS javascript.go); undefined keeps the client's. */
  fPort?: number;
  warnings: string[];
}

/** One direction of one formatter, with its script when it is JavaScript. */
export interface FormatterChoice {
  formatter: SupportedFormatter;
  parameter: string;
}

export const upChoice = (f: MessagePayloadFormatters | undefined): FormatterChoice => ({
  formatter: f?.up_formatter ?? 'FORMATTER_NONE',
  parameter: f?.up_formatter_parameter ?? '',
});

export const downChoice = (f: MessagePayloadFormatters | undefined): FormatterChoice => ({
  formatter: f?.down_formatter ?? 'FORMATTER_NONE',
  parameter: f?.down_formatter_parameter ?? '',
});

/** Proto-JSON: zero values (FORMATTER_NONE, empty scripts) are left out (docs/behaviour.md §4). */
export function writeFormatters(f: MessagePayloadFormatters): MessagePayloadFormatters {
  const out: MessagePayloadFormatters = {};
  if (f.up_formatter && f.up_formatter !== 'FORMATTER_NONE') out.up_formatter = f.up_formatter;
  if (f.up_formatter_parameter) out.up_formatter_parameter = f.up_formatter_parameter;
  if (f.down_formatter && f.down_formatter !== 'FORMATTER_NONE') out.down_formatter = f.down_formatter;
  if (f.down_formatter_parameter) out.down_formatter_parameter = f.down_formatter_parameter;
  return out;
}
