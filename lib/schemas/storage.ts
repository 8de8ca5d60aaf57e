import { z } from 'zod';
import { UP_TYPES, type UpType } from '../messages/types';
import { parseGoDurationMs } from './goDuration';

/**
 * Query of `GET /as/applications/{app}[/devices/{dev}]/packages/storage/{type}[/count]` (TTS's
 * ApplicationUpStorage, docs/behaviour.md §6.3). `type` is a body name or `all`.
 */
export const STORAGE_TYPES = [...UP_TYPES, 'all'] as const;

export const storageType = z.enum(STORAGE_TYPES, {
  error: (issue) => `unknown type ${JSON.stringify(issue.input)}; must be one of ${STORAGE_TYPES.join(', ')}`,
});

const time = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), 'must be an RFC 3339 time')
  .transform((s) => new Date(s).toISOString());

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A single-unit duration (`500ms`, `2s`, `30m`, `1h`, `7d`), for Mote's own settings. */
export const durationMs = z
  .string()
  .regex(DURATION, 'must be a duration like 500ms, 2s, 30m, 1h')
  .transform((s) => {
    const [, n, unit] = DURATION.exec(s) as RegExpExecArray;
    return Number(n) * UNIT_MS[unit as keyof typeof UNIT_MS];
  });

/** Go's duration syntax, as grpc-gateway parses `google.protobuf.Duration` parameters. */
export const goDuration = z.string().transform((s, ctx) => {
  const ms = parseGoDurationMs(s);
  if (ms === undefined || ms < 0) {
    ctx.addIssue({
      code: 'custom',
      input: s,
      message: `${JSON.stringify(s)} is not a Go duration such as 1h30m, 90.5s, 300ms`,
    });
    return z.NEVER;
  }
  return ms;
});

/** ApplicationUp's top-level fields, the roots a field mask may name. */
const UP_FIELDS = new Set<string>([
  'end_device_ids',
  'correlation_ids',
  'received_at',
  'simulated',
  ...UP_TYPES,
]);
const PATH = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$/;

/**
 * TTS's `field_mask`: comma-separated paths rooted at `up` (`up.uplink_message.f_port`); the
 * `up.` prefix is optional here. Undefined: the whole message.
 */
export const fieldMask = z.string().transform((s, ctx) => {
  const paths: string[][] = [];
  for (const raw of s.split(',')) {
    const path = raw.trim();
    if (path === '') continue;
    if (path === 'up') return undefined;
    const parts = (path.startsWith('up.') ? path.slice(3) : path).split('.');
    if (!PATH.test(path) || !UP_FIELDS.has(parts[0] ?? '')) {
      ctx.addIssue({ code: 'custom', input: s, message: `unknown path ${JSON.stringify(path)}` });
      return z.NEVER;
    }
    paths.push(parts);
  }
  return paths.length > 0 ? paths : undefined;
});

const filters = {
  after: time.optional(),
  before: time.optional(),
  last: goDuration.optional(),
  f_port: z.coerce.number().int().min(0).max(255).optional(),
};

export const storageCountQuery = z.object(filters);

export const storageQuery = z.object({
  ...filters,
  /** Absent: every match (TTS has no default cap). */
  limit: z.coerce.number().int().min(1).max(4_294_967_295).optional(),
  order: z
    .enum(['', 'received_at', '-received_at'])
    .default('-received_at')
    .transform((o) => (o === '' ? '-received_at' : o)),
  field_mask: fieldMask.optional(),
});

export type StorageCountQuery = z.output<typeof storageCountQuery>;
export type StorageQuery = z.output<typeof storageQuery>;
export const typeFilter = (t: z.output<typeof storageType>): UpType | undefined =>
  t === 'all' ? undefined : t;

/**
 * The query string as the schemas take it: `field_mask` may come as one comma-separated value,
 * repeated, or as grpc-gateway's `field_mask.paths`.
 */
export function storageParams(search: URLSearchParams): Record<string, string> {
  const out = Object.fromEntries(search);
  const paths = [...search.getAll('field_mask'), ...search.getAll('field_mask.paths')];
  if (paths.length > 0) out.field_mask = paths.join(',');
  return out;
}
