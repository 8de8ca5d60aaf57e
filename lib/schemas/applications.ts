import { z } from 'zod';
import { devAddrSchema, euiSchema, idSchema } from '../ids';

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

export const createDeviceRequest = z.object({
  end_device: z.object({
    ids: deviceIds,
    name: z.string().max(50, 'must be at most 50 characters').optional(),
    description: z.string().max(2000, 'must be at most 2000 characters').optional(),
  }),
});

export const updateDeviceRequest = z.object({
  end_device: z.object({
    ids: deviceIds.partial().optional(),
    name: z.string().max(50, 'must be at most 50 characters').optional(),
    description: z.string().max(2000, 'must be at most 2000 characters').optional(),
  }),
});
