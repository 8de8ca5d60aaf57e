/** Randomness as a port: the simulator takes `() => number` in [0, 1); tests pass a seeded one. */
export type Random = () => number;

/** mulberry32: a small seeded generator, enough for reproducible simulated radio values. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const between = (random: Random, min: number, max: number) => min + random() * (max - min);
export const intBetween = (random: Random, min: number, max: number) =>
  Math.floor(between(random, min, max + 1));

export function randomBytes(random: Random, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = intBetween(random, 0, 255);
  return out;
}
