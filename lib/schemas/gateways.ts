/**
 * Gateway requests as TTS's `GatewayRegistry` takes them (docs/behaviour.md §6.7): the entity is
 * wrapped (`{"gateway": {…}}`), its location is the first antenna's, an update may carry a
 * `field_mask`. Mote keeps one antenna per gateway.
 */
import { z } from 'zod';
import { euiSchema, idSchema } from '../ids';
import { frequencyPlanSchema } from './lorawan';

/** What `field_mask.paths` of an update may name. */
export const GATEWAY_UPDATE_PATHS = [
  'name',
  'description',
  'frequency_plan_id',
  'ids.eui',
  'antennas',
] as const;
export type GatewayUpdatePath = (typeof GATEWAY_UPDATE_PATHS)[number];

const between = (min: number, max: number) =>
  z
    .number({ error: `must be a number between ${min} and ${max}` })
    .min(min, `must be between ${min} and ${max}`)
    .max(max, `must be between ${min} and ${max}`);

export const gatewayLocation = z.object({
  latitude: between(-90, 90),
  longitude: between(-180, 180),
  /** Metres above sea level; TTS's `int32`. */
  altitude: z
    .number({ error: 'must be a whole number of metres' })
    .int('must be a whole number of metres')
    .optional(),
});

const antennas = z
  .array(z.object({ location: gatewayLocation.optional() }), { error: 'must be a list of antennas' })
  .max(1, 'Mote keeps one antenna per gateway');

const name = z.string().max(50, 'must be at most 50 characters');
const description = z.string().max(2000, 'must be at most 2000 characters');
const eui = z.string({ error: 'required: 8 bytes of hex (16 digits)' }).pipe(euiSchema);
const plan = z
  .string({ error: 'required: a frequency plan ID such as EU_863_870' })
  .pipe(frequencyPlanSchema);

export const createGatewayRequest = z.object({
  gateway: z.object(
    {
      ids: z.object({ gateway_id: z.string({ error: 'required' }).pipe(idSchema), eui }),
      name: name.optional(),
      description: description.optional(),
      frequency_plan_id: plan,
      antennas: antennas.optional(),
    },
    { error: 'required: {"gateway": {"ids": {"gateway_id", "eui"}, "frequency_plan_id", …}}' },
  ),
});

/**
 * `PUT /gateways/{id}`: with `field_mask.paths`, exactly those fields change (a named field left
 * out of `gateway` is cleared, as TTS); without, the fields given. The plan and the EUI cannot be
 * cleared.
 */
export const updateGatewayRequest = z
  .object({
    gateway: z.object(
      {
        ids: z.object({ gateway_id: idSchema.optional(), eui: euiSchema.optional() }).optional(),
        name: name.optional(),
        description: description.optional(),
        frequency_plan_id: frequencyPlanSchema.optional(),
        antennas: antennas.optional(),
      },
      { error: 'required: {"gateway": {…}}' },
    ),
    field_mask: z
      .object({
        paths: z.array(
          z.enum(GATEWAY_UPDATE_PATHS, { error: `must be one of ${GATEWAY_UPDATE_PATHS.join(', ')}` }),
        ),
      })
      .optional(),
  })
  .superRefine((r, ctx) => {
    const paths = r.field_mask?.paths ?? [];
    if (paths.includes('frequency_plan_id') && r.gateway.frequency_plan_id === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['gateway', 'frequency_plan_id'],
        message: 'required: it is in field_mask.paths and cannot be cleared',
      });
    if (paths.includes('ids.eui') && r.gateway.ids?.eui === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['gateway', 'ids', 'eui'],
        message: 'required: it is in field_mask.paths and cannot be cleared',
      });
  });

export type GatewayUpdate = z.output<typeof updateGatewayRequest>;
export type GatewayCreate = z.output<typeof createGatewayRequest>['gateway'];
