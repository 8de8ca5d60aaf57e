import { z } from 'zod';

/** Proto-JSON input (docs/behaviour.md §4) takes lowerCamelCase too; snake_case wins when both appear. */
const snakeOf = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const snakeKeys = (v: unknown) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const snake = snakeOf(k);
    if (snake === k || !(snake in v)) out[snake] = x;
  }
  return out;
};

/** A message schema whose fields may arrive in snake_case or lowerCamelCase. */
export const protoObject = <S extends z.ZodRawShape>(shape: S) => z.preprocess(snakeKeys, z.object(shape));
