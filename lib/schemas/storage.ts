import { z } from 'zod';
import { UP_TYPES, type UpType } from '../messages/types';

/**
 * Query of `GET /as/applications/{app}[/devices/{dev}]/packages/storage/{type}` (TTS's
 * ApplicationUpStorage): `type` is a body name or `all`; `order` `received_at` or
 * `-received_at` (default: newest first); `after`/`before` RFC 3339; `last` a duration like
 * `30m` (after = now − last); `limit` default 100, at most 10 000.
 */
export const STORAGE_TYPES = [...UP_TYPES, 'all'] as const;

export const storageType = z.enum(STORAGE_TYPES, { error: `must be one of ${STORAGE_TYPES.join(', ')}` });

const time = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), 'must be an RFC 3339 time')
  .transform((s) => new Date(s).toISOString());

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export const durationMs = z
  .string()
  .regex(DURATION, 'must be a duration like 500ms, 2s, 30m, 1h')
  .transform((s) => {
    const [, n, unit] = DURATION.exec(s) as RegExpExecArray;
    return Number(n) * UNIT_MS[unit as keyof typeof UNIT_MS];
  });

export const storageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(10_000).default(100),
  after: time.optional(),
  before: time.optional(),
  last: durationMs.optional(),
  order: z.enum(['received_at', '-received_at']).default('-received_at'),
});

export type StorageQuery = z.output<typeof storageQuery>;
export const typeFilter = (t: z.output<typeof storageType>): UpType | undefined =>
  t === 'all' ? undefined : t;
