import { z } from 'zod';

/**
 * TTS `EndDeviceVersionIdentifiers` (end_device.proto): brand and model are Device Repository
 * IDs, the versions and band free text. An empty string is allowed: it clears the field.
 */
const repositoryId = z
  .string()
  .max(36, 'must be at most 36 characters')
  .regex(
    /^$|^[a-z0-9](?:-?[a-z0-9]){2,}$/,
    'must be at least 3 lowercase letters, digits or single dashes, not starting or ending with a dash',
  );
const freeText = z.string().max(32, 'must be at most 32 characters');

export const versionIdsSchema = z.strictObject(
  {
    brand_id: repositoryId.optional(),
    model_id: repositoryId.optional(),
    hardware_version: freeText.optional(),
    firmware_version: freeText.optional(),
    band_id: freeText.optional(),
  },
  {
    error: (i) =>
      i.code === 'unrecognized_keys'
        ? `unknown field ${i.keys.join(', ')}: brand_id, model_id, hardware_version, firmware_version or band_id`
        : 'must be an object',
  },
);

/** TTS's update `field_mask`: `{"paths": ["version_ids.brand_id", …]}`. */
export const fieldMaskSchema = z.object({
  paths: z.array(z.string().max(100, 'must be at most 100 characters')).max(100, 'at most 100 paths'),
});
