import { z } from 'zod';
import { devAddrSchema, euiSchema, idSchema } from '../ids';
import { frequencyPlanSchema, keyEnvelope, macVersionSchema, phyVersionSchema } from './lorawan';
import { fieldMaskSchema, versionIdsSchema } from './versionIds';

/** TTS wraps entities: `{"application": {"ids": {"application_id": "app1"}, "name": …}}`. */
export const applicationBody = z.object({
  ids: z.object({ application_id: idSchema }),
  name: z.string().max(50, 'must be at most 50 characters').optional(),
  description: z.string().max(2000, 'must be at most 2000 characters').optional(),
});

export const createApplicationRequest = z.object({ application: applicationBody });

export const updateApplicationRequest = z.object({
  application: z.object({
    name: z.string().max(50, 'must be at most 50 characters').optional(),
    description: z.string().max(2000, 'must be at most 2000 characters').optional(),
  }),
});

const deviceIds = z.object({
  device_id: idSchema,
  dev_eui: euiSchema.optional(),
  join_eui: euiSchema.optional(),
  dev_addr: devAddrSchema.optional(),
});

/** LoRaWAN settings and keys (issue 12); every field optional, so devices without keys stay valid. */
const lorawanFields = {
  frequency_plan_id: frequencyPlanSchema.optional(),
  lorawan_version: macVersionSchema.optional(),
  lorawan_phy_version: phyVersionSchema.optional(),
  supports_join: z.boolean({ error: 'must be true or false' }).optional(),
  root_keys: z.object({ app_key: keyEnvelope }).optional(),
  session: z
    .object({
      dev_addr: z.string({ error: 'required for a session (ABP): 4 bytes of hex' }).pipe(devAddrSchema),
      keys: z.object({ app_s_key: keyEnvelope, f_nwk_s_int_key: keyEnvelope }),
    })
    .optional(),
};

type LorawanInput = {
  ids?: { dev_eui?: string; join_eui?: string };
  frequency_plan_id?: string;
  lorawan_version?: string;
  supports_join?: boolean;
  root_keys?: unknown;
  session?: unknown;
};

/**
 * What a new device with keys needs (as TTS's registries): the network layer cannot serve a
 * device without a plan and a MAC version; OTAA needs both EUIs and the AppKey (LoRaWAN 1.0.3
 * §6.2), ABP a session. Paths are relative to `end_device`.
 */
function checkNewDevice(d: LorawanInput, ctx: z.RefinementCtx): void {
  const issue = (path: string[], message: string) =>
    ctx.addIssue({ code: 'custom', path: ['end_device', ...path], message });
  const otaa = d.supports_join === true || (d.supports_join === undefined && d.root_keys !== undefined);
  if (d.supports_join === false && d.session === undefined)
    issue(['session', 'dev_addr'], 'required for an ABP device (supports_join false)');
  if (d.supports_join === true && d.root_keys === undefined)
    issue(['root_keys', 'app_key', 'key'], 'required for an OTAA device (supports_join true)');
  if (d.root_keys === undefined && d.session === undefined && d.supports_join === undefined) return;
  if (d.frequency_plan_id === undefined) issue(['frequency_plan_id'], 'required for a device with keys');
  if (d.lorawan_version === undefined) issue(['lorawan_version'], 'required for a device with keys');
  if (otaa && !d.ids?.dev_eui) issue(['ids', 'dev_eui'], 'required for an OTAA device');
  if (otaa && !d.ids?.join_eui) issue(['ids', 'join_eui'], 'required for an OTAA device');
}

export const createDeviceRequest = z
  .object({
    end_device: z.object({
      ids: deviceIds,
      name: z.string().max(50, 'must be at most 50 characters').optional(),
      description: z.string().max(2000, 'must be at most 2000 characters').optional(),
      ...lorawanFields,
      version_ids: versionIdsSchema.optional(),
    }),
  })
  .superRefine((r, ctx) => checkNewDevice(r.end_device, ctx));

export const updateDeviceRequest = z.object({
  end_device: z.object({
    ids: deviceIds.partial().optional(),
    name: z.string().max(50, 'must be at most 50 characters').optional(),
    description: z.string().max(2000, 'must be at most 2000 characters').optional(),
    ...lorawanFields,
    version_ids: versionIdsSchema.optional(),
  }),
  /** As TTS: with a mask, the paths it names are written (and cleared when absent from the body). */
  field_mask: fieldMaskSchema.optional(),
});

export type DeviceRequestBody = z.output<typeof updateDeviceRequest>['end_device'];
export type FieldMask = z.output<typeof fieldMaskSchema>;
