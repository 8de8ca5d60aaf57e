import { z } from 'zod';
import { APPLICATION_RIGHTS, parseRight, type Right } from '../rights';

const right = z.string().transform((s, ctx): Right => {
  const r = parseRight(s);
  if (!r) {
    ctx.addIssue({
      code: 'custom',
      message: `unknown right "${s}"; one of ${APPLICATION_RIGHTS.join(', ')}`,
    });
    return z.NEVER;
  }
  return r;
});

const expiresAt = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), 'must be an RFC 3339 time')
  .transform((s) => new Date(s).toISOString())
  .nullable();

export const createApiKeyRequest = z.object({
  name: z.string().max(50, 'must be at most 50 characters').default(''),
  rights: z
    .array(right)
    .min(1, 'at least one right is required')
    .transform((rs) => [...new Set(rs)]),
  expires_at: expiresAt.optional(),
});

export const updateApiKeyRequest = z.object({
  api_key: z.object({
    name: z.string().max(50, 'must be at most 50 characters').optional(),
    rights: z
      .array(right)
      .min(1, 'at least one right is required')
      .transform((rs) => [...new Set(rs)])
      .optional(),
    expires_at: expiresAt.optional(),
  }),
});
