import { z } from 'zod';

/**
 * `GET /applications/{app}/devices` paging (issue 16 item 3), as TTS's ListEndDevices: `limit`
 * (0 or absent: all), 1-based `page`, `order` as a field name with `-` for descending, and the
 * total in `X-Total-Count`. `search` is Mote's: every word must occur in the ID, name, DevEUI,
 * JoinEUI or DevAddr, case aside.
 */
export const DEVICE_ORDER_FIELDS = ['device_id', 'name', 'dev_eui', 'created_at', 'last_seen_at'] as const;
export type DeviceOrderField = (typeof DEVICE_ORDER_FIELDS)[number];
export const MAX_DEVICE_PAGE = 1000;
export const MAX_DEVICE_SEARCH = 100;

const ORDERS = DEVICE_ORDER_FIELDS.flatMap((f) => [f, `-${f}`]);

const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, `must be a whole number from ${min} to ${max}`)
        .max(max, `must be a whole number from ${min} to ${max}`),
    );

export const deviceListQuery = z
  .object({
    limit: wholeNumber(0, MAX_DEVICE_PAGE).optional(),
    page: wholeNumber(1, 1_000_000).optional(),
    order: z
      .string()
      .refine((o) => ORDERS.includes(o), `must be one of ${ORDERS.join(', ')}`)
      .optional(),
    search: z.string().max(MAX_DEVICE_SEARCH, `must be at most ${MAX_DEVICE_SEARCH} characters`).optional(),
  })
  .transform((q) => ({
    limit: q.limit || undefined,
    page: q.page ?? 1,
    orderBy: (q.order?.replace(/^-/, '') ?? 'device_id') as DeviceOrderField,
    descending: q.order?.startsWith('-') ?? false,
    search: q.search?.trim() ?? '',
  }));

export type DeviceListQuery = z.output<typeof deviceListQuery>;

/** The query's own parameters out of a URL's (others, like `field_mask`, belong elsewhere). */
export const deviceListParams = (p: URLSearchParams) =>
  Object.fromEntries(
    (['limit', 'page', 'order', 'search'] as const).flatMap((k) => (p.has(k) ? [[k, p.get(k) ?? '']] : [])),
  );

/** The console asks for one page of devices at a time; 200 leaves room and bounds the query. */
export const MAX_NEWEST_DEVICES = 200;

export const newestUplinksQuery = z.object({
  device_ids: z
    .string()
    .transform((s) => s.split(',').filter(Boolean))
    .pipe(z.array(z.string()).max(MAX_NEWEST_DEVICES, `at most ${MAX_NEWEST_DEVICES} device IDs`)),
});
